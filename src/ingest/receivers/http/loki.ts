/**
 * Loki push API bodies -> records: JSON (`{"streams":[{"stream":{labels},"values":[[ns, line,
 * {metadata}?]]}]}`) and protobuf (loki-proto.ts, after Snappy). Attrs = stream labels, then
 * structured metadata, on top of the request's base attrs; sourceTs = entry time.
 */

import { LogError } from "../../../core/errors.ts";
import type { Attrs, RecordInput } from "../../../core/record.ts";
import { parseLabels } from "./labels.ts";
import { decodeLokiPush } from "./loki-proto.ts";

const enc = new TextEncoder();

/** Nanosecond timestamp string -> epoch µs (digits past µs dropped); 0 when malformed. */
export function nanosStringToMicros(s: unknown): number {
  if (typeof s !== "string" || !/^\d{1,20}$/.test(s)) return 0;
  return s.length <= 3 ? 0 : Number(s.slice(0, -3));
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
  for (const s of streams) {
    const labels = (s as { stream?: unknown })?.stream ?? {};
    const values = (s as { values?: unknown })?.values;
    if (typeof labels !== "object" || labels === null || !Array.isArray(values)) throw bad("each stream needs a stream object and a values array");
    const streamAttrs: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(labels)) streamAttrs[k] = String(v);
    for (const v of values) {
      if (!Array.isArray(v) || typeof v[1] !== "string") throw bad("each value must be [timestamp, line, metadata?]");
      let attrs: Record<string, string> = streamAttrs;
      const meta = v[2];
      if (meta !== undefined && meta !== null && typeof meta === "object") {
        attrs = { ...streamAttrs };
        for (const [k, mv] of Object.entries(meta)) attrs[k] = typeof mv === "string" ? mv : JSON.stringify(mv);
      }
      out.push({ raw: enc.encode(v[1]), attrs, sourceTs: nanosStringToMicros(v[0]), ingestTs });
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
