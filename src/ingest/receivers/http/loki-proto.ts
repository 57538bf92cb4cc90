/**
 * Minimal protobuf reader for Loki's push message (pkg/push/push.proto), enough for the three
 * messages we need; unknown fields are skipped by wire type:
 *   PushRequest   { repeated StreamAdapter streams = 1; }
 *   StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 *   EntryAdapter  { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
 *   LabelPairAdapter { string name = 1; string value = 2; }   Timestamp { int64 seconds = 1; int32 nanos = 2; }
 * Pure; throws ParseError on truncated or malformed input (core/bytes/protobuf.ts reads the wire).
 */

import { ProtoReader as Reader } from "../../../core/bytes/protobuf.ts";

/** One decoded log line. `line` is a view into the request body. */
export interface LokiEntry {
  /** Epoch µs, 0 when absent. */
  ts: number;
  line: Uint8Array;
  metadata: [string, string][];
}

export interface LokiStream {
  labels: string;
  entries: LokiEntry[];
}

const dec = new TextDecoder();

/** Decodes a (decompressed) PushRequest. */
export function decodeLokiPush(b: Uint8Array): LokiStream[] {
  const r = new Reader(b, 0, b.length);
  const out: LokiStream[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) out.push(stream(b, ...r.bytes()));
    else r.skip(tag & 7);
  }
  return out;
}

function stream(b: Uint8Array, start: number, end: number): LokiStream {
  const r = new Reader(b, start, end);
  const s: LokiStream = { labels: "", entries: [] };
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 2) s.labels = dec.decode(b.subarray(...r.bytes()));
    else if (field === 2 && (tag & 7) === 2) s.entries.push(entry(b, ...r.bytes()));
    else r.skip(tag & 7);
  }
  return s;
}

function entry(b: Uint8Array, start: number, end: number): LokiEntry {
  const r = new Reader(b, start, end);
  const e: LokiEntry = { ts: 0, line: b.subarray(0, 0), metadata: [] };
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = tag >>> 3;
    if ((tag & 7) !== 2) {
      r.skip(tag & 7);
      continue;
    }
    const [s, t] = r.bytes();
    if (field === 1) e.ts = timestamp(b, s, t);
    else if (field === 2) e.line = b.subarray(s, t);
    else if (field === 3) e.metadata.push(labelPair(b, s, t));
  }
  return e;
}

function timestamp(b: Uint8Array, start: number, end: number): number {
  const r = new Reader(b, start, end);
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x08) seconds = r.varint();
    else if (tag === 0x10) nanos = r.varint();
    else r.skip(tag & 7);
  }
  return seconds * 1_000_000 + Math.floor(nanos / 1000);
}

function labelPair(b: Uint8Array, start: number, end: number): [string, string] {
  const r = new Reader(b, start, end);
  let name = "";
  let value = "";
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x0a) name = dec.decode(b.subarray(...r.bytes()));
    else if (tag === 0x12) value = dec.decode(b.subarray(...r.bytes()));
    else r.skip(tag & 7);
  }
  return [name, value];
}
