/**
 * Line-oriented HTTP bodies -> records: NDJSON (parse/ndjson.ts per line; the raw texts of a
 * body are UTF-8 encoded side by side into shared blocks, a view per record, not an array each)
 * and plain text (one record per line, raw bytes as sent, leading timestamp -> sourceTs). LF or
 * CRLF line ends; empty lines are skipped. Pure.
 */

import type { Attrs, RecordInput } from "../../../core/record.ts";
import { ndjsonRecord } from "../../parse/ndjson.ts";
import { parseLeadingTimestamp, type TimestampContext } from "../../parse/timestamp.ts";

const LF = 0x0a;
const CR = 0x0d;
const dec = new TextDecoder();
/** Smallest block the NDJSON raw texts of one body are encoded into. */
const RAW_BLOCK_BYTES = 64 << 10;

/** One record per non-empty line; a parse problem becomes a `parse_error` attr. */
export function ndjsonRecords(body: Uint8Array, base: Attrs, ingestTs: number, ctx: TimestampContext): RecordInput[] {
  const out: RecordInput[] = [];
  const text = dec.decode(body);
  let block = Buffer.allocUnsafe(0);
  let used = 0;
  let i = 0;
  while (i < text.length) {
    let nl = text.indexOf("\n", i);
    if (nl < 0) nl = text.length;
    const end = nl > i && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    if (end > i) {
      const p = ndjsonRecord(text.slice(i, end), base, ctx);
      if (p.error !== "") p.attrs.parse_error = p.error;
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      if (block.length - used < p.raw.length * 3) {
        block = Buffer.allocUnsafe(Math.max(RAW_BLOCK_BYTES, p.raw.length * 3));
        used = 0;
      }
      const n = block.write(p.raw, used, "utf8");
      out.push({ raw: block.subarray(used, used + n), attrs: p.attrs, sourceTs: p.sourceTs, ingestTs });
      used += n;
    }
    i = nl + 1;
  }
  return out;
}

/** One record per non-empty line, raw bytes kept verbatim (views into `body`). */
export function textRecords(body: Uint8Array, base: Attrs, ingestTs: number, ctx: TimestampContext): RecordInput[] {
  const out: RecordInput[] = [];
  const attrs = { ...base };
  let i = 0;
  while (i < body.length) {
    let nl = body.indexOf(LF, i);
    if (nl < 0) nl = body.length;
    const end = nl > i && body[nl - 1] === CR ? nl - 1 : nl;
    if (end > i) out.push({ raw: body.subarray(i, end), attrs, sourceTs: parseLeadingTimestamp(body, i, end, ctx), ingestTs });
    i = nl + 1;
  }
  return out;
}
