/**
 * The fields of a record in a format as the pairs its key=value index holds (format-index.ts):
 * from the format's walker (field-walk.ts), which stays the definition, or cheaper from a byte
 * reader giving exactly the walker's pairs (json-pairs.ts, clf-pairs.ts, syslog-pairs.ts,
 * logfmt-pairs.ts). The message key=value index uses logfmt's to skip the pairs the logfmt
 * index holds (msgkv-index.ts).
 */

import type { FormatFields } from "./field-walk.ts";
import { ClfPairReader } from "./clf-pairs.ts";
import { JsonPairReader } from "./json-pairs.ts";
import { KV_MAX_LEN } from "./kv-extract.ts";
import { LogfmtPairReader } from "./logfmt-pairs.ts";
import { SyslogPairReader } from "./syslog-pairs.ts";
import { needingByte, sinkPair, type PairSink, type RecordPairs } from "./msgkv-builder.ts";

const encoder = new TextEncoder();

/** Writes the UTF-8 of `text` into `s` at `at`, ASCII-lowercased when `lower`; the end, or -1 past `max` bytes. */
function putUtf8(s: Uint8Array, at: number, text: string, max: number, lower: boolean): number {
  if (text.length > max) return -1;
  const { read, written } = encoder.encodeInto(text, s.subarray(at, at + max));
  if (read !== text.length) return -1;
  if (lower) for (let i = at; i < at + written; i++) if (s[i]! >= 0x41 && s[i]! <= 0x5a) s[i]! += 0x20;
  return at + written;
}

/** The fields of a record in `format` as pairs, from its walker. */
function walkerPairs(format: FormatFields): RecordPairs {
  /** A value's UTF-8 as written. */
  const written = new Uint8Array(KV_MAX_LEN);
  return (data, start, end, sink) => {
    const s = sink.scratch;
    let stop = false;
    const walk = format.walk(data, start, end, (key, value) => {
      const kl = putUtf8(s, 0, key, KV_MAX_LEN, true);
      if (kl < 0) {
        sink.drop();
        return false;
      }
      s[kl] = 0;
      const w = value === "" ? 0 : putUtf8(written, 0, value, KV_MAX_LEN, false);
      if (w <= 0) {
        sink.overflowKey(kl);
        return false;
      }
      stop = !sinkPair(sink, kl, written, 0, w);
      return stop;
    });
    if (walk.truncated) sink.drop();
  };
}

/** Reads a record's pairs at seal without its walker where it can: "walker" when it cannot. */
interface SealReader {
  pairs(data: Uint8Array, start: number, end: number, sink: PairSink): "none" | "done" | "walker";
}

/** Per format, a byte reader giving exactly its walker's pairs, or handing the record back. */
const SEAL_READERS: Record<string, () => SealReader> = { json: () => new JsonPairReader(), clf: () => new ClfPairReader(), syslog: () => new SyslogPairReader(), logfmt: () => new LogfmtPairReader() };

/**
 * Per format, a byte that every record with fields holds, by its reader and its walker alike
 * (RecordPairs.needs): JSON's opening `{`, the quote of an access log's request (`] "`),
 * logfmt's `=`.
 */
const NEEDS: Record<string, number> = { json: 0x7b, clf: 0x22, logfmt: 0x3d };

/** The pairs of a record in `format` (as walkerPairs), cheaper where the format has a seal reader. */
export function formatPairs(format: FormatFields): RecordPairs {
  const walker = walkerPairs(format);
  const reader = SEAL_READERS[format.name]?.();
  if (reader === undefined) return walker;
  const pairs = (data: Uint8Array, start: number, end: number, sink: PairSink) => {
    if (reader.pairs(data, start, end, sink) === "walker") walker(data, start, end, sink);
  };
  const needs = NEEDS[format.name];
  return needs === undefined ? pairs : needingByte(needs, pairs);
}
