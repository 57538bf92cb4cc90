/**
 * Loki push API bodies -> records: JSON (`{"streams":[{"stream":{labels},"values":[[ns, line,
 * {metadata}?]]}]}`) and protobuf (loki-proto.ts, after Snappy). Attrs = stream labels, then
 * structured metadata, on top of the request's base attrs; sourceTs = entry time.
 * As in Loki (pkg/loghttp/entry.go), a JSON timestamp must be a string holding a base-10
 * integer of nanoseconds; anything else (a JSON number, "notanumber", "1.5") rejects the
 * whole push with the entry's position, so the client is told instead of data getting a
 * made-up time. Negative times are refused too (Loki refuses them later as too old).
 */

import { LogError } from "../../../core/errors.ts";
import type { Attrs, RecordInput } from "../../../core/record.ts";
import { parseLabels } from "./labels.ts";
import { decodeLokiPush } from "./loki-proto.ts";

const enc = new TextEncoder();

/** Largest int64, the range Loki's strconv.ParseInt accepts. */
const INT64_MAX = 9_223_372_036_854_775_807n;

/**
 * A JSON entry timestamp (string of integer nanoseconds) -> epoch µs, digits past µs dropped
 * (under 1 µs: 0, unknown). Throws LogError("invalid_argument") naming `where` otherwise.
 */
export function lokiTimestampMicros(v: unknown, where: string): number {
  if (typeof v !== "string") throw bad(`${where}: timestamp must be a string of integer nanoseconds since the epoch, got the JSON ${v === null ? "null" : typeof v} ${JSON.stringify(v)}`);
  const m = /^\+?(\d{1,19})$/.exec(v);
  if (!m || BigInt(m[1]!) > INT64_MAX) throw bad(`${where}: timestamp must be integer nanoseconds since the epoch (0..${INT64_MAX}), got ${JSON.stringify(v)}`);
  const digits = m[1]!;
  return digits.length <= 3 ? 0 : Number(digits.slice(0, -3));
}

function bad(detail: string): LogError {
  return new LogError("invalid_argument", `Loki push: ${detail}`);
}

/** Records of a JSON push body; throws LogError("invalid_argument") on a malformed body. */
export function lokiJsonRecords(body: string, base: Attrs, ingestTs: number): RecordInput[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw bad("body is not valid JSON");
  }
  const streams = (doc as { streams?: unknown })?.streams;
  if (!Array.isArray(streams)) throw bad('expected {"streams": [...]}');
  const out: RecordInput[] = [];
  for (let si = 0; si < streams.length; si++) {
    const s: unknown = streams[si];
    const labels = (s as { stream?: unknown })?.stream ?? {};
    const values = (s as { values?: unknown })?.values;
    if (typeof labels !== "object" || labels === null || !Array.isArray(values)) throw bad("each stream needs a stream object and a values array");
    const streamAttrs: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(labels)) streamAttrs[k] = String(v);
    for (let vi = 0; vi < values.length; vi++) {
      const v: unknown = values[vi];
      if (!Array.isArray(v) || typeof v[1] !== "string") throw bad("each value must be [timestamp, line, metadata?]");
      const sourceTs = lokiTimestampMicros(v[0], `streams[${si}].values[${vi}]`);
      let attrs: Record<string, string> = streamAttrs;
      const meta = v[2];
      if (meta !== undefined && meta !== null && typeof meta === "object") {
        attrs = { ...streamAttrs };
        for (const [k, mv] of Object.entries(meta)) attrs[k] = typeof mv === "string" ? mv : JSON.stringify(mv);
      }
      out.push({ raw: enc.encode(v[1]), attrs, sourceTs, ingestTs });
    }
  }
  return out;
}

/** Records of a (decompressed) protobuf push body; throws on malformed input. */
export function lokiProtoRecords(body: Uint8Array, base: Attrs, ingestTs: number): RecordInput[] {
  const out: RecordInput[] = [];
  for (const s of decodeLokiPush(body)) {
    const streamAttrs: Record<string, string> = { ...base };
    if (s.labels !== "") parseLabels(s.labels, streamAttrs);
    for (const e of s.entries) {
      let attrs: Record<string, string> = streamAttrs;
      if (e.metadata.length > 0) {
        attrs = { ...streamAttrs };
        for (const [k, v] of e.metadata) attrs[k] = v;
      }
      out.push({ raw: e.line, attrs, sourceTs: e.ts, ingestTs });
    }
  }
  return out;
}
