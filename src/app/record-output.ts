/**
 * Formats search hits for the CLI: one JSON object per line (`--output json`) or one text line
 * per record: `<event time> <attrs|-> <raw>`, context records indented by two spaces.
 */

import { formatRfc3339Micros } from "../core/time.ts";
import { eventTime } from "../core/record.ts";
import type { SearchHit } from "../query/engine/types.ts";

const strict = new TextDecoder("utf-8", { fatal: true });
const lossy = new TextDecoder("utf-8");

function attrsText(attrs: Readonly<Record<string, string>>): string {
  const keys = Object.keys(attrs).sort();
  return keys.length === 0 ? "-" : keys.map((k) => `${k}=${attrs[k]}`).join(",");
}

export function hitToText(h: SearchHit): string {
  const r = h.record;
  return `${h.context ? "  " : ""}${formatRfc3339Micros(eventTime(r))} ${attrsText(r.attrs)} ${lossy.decode(r.raw)}`;
}

/** JSON object: time/ingest/write (RFC 3339), raw (UTF-8; raw_base64 too when not valid UTF-8), attrs, store, chunk, position. */
export function hitToJson(h: SearchHit): string {
  const r = h.record;
  let raw: string;
  let rawBase64: string | undefined;
  try {
    raw = strict.decode(r.raw);
  } catch {
    raw = lossy.decode(r.raw);
    rawBase64 = Buffer.from(r.raw).toString("base64");
  }
  return JSON.stringify({
    time: formatRfc3339Micros(eventTime(r)),
    source: r.sourceTs !== 0 ? formatRfc3339Micros(r.sourceTs) : null,
    ingest: formatRfc3339Micros(r.ingestTs),
    write: formatRfc3339Micros(r.writeTs),
    raw,
    ...(rawBase64 !== undefined ? { raw_base64: rawBase64 } : {}),
    attrs: r.attrs,
    store: h.store,
    chunk: h.ref.chunk,
    position: h.ref.pos,
    ...(h.context ? { context: true } : {}),
  });
}
