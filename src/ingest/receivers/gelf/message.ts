/**
 * One GELF message payload -> record. Payloads are JSON, optionally gzip (1f 8b) or zlib (78 ..)
 * compressed. Mapping: raw = short_message (full_message appended on a new line unless it
 * already starts with short_message); `_foo` additional fields -> attr `foo`; host, level,
 * facility, file, line and other fields keep their names; numbers as sent (`1.0` stays `1.0`,
 * core/json-text.ts), other non-string values as JSON text;
 * `timestamp` (seconds, fractional) -> sourceTs. Malformed payloads are stored raw with
 * `parse_error`. Pure.
 */

import { gunzipSync, inflateSync } from "node:zlib";
import { errorMessage } from "../../../core/errors.ts";
import { parseJsonText } from "../../../core/json-text.ts";
import type { Attrs } from "../../../core/record.ts";

/** What a payload becomes; `error` is "" for a valid GELF message. */
export interface GelfRecordParts {
  raw: Uint8Array;
  attrs: Record<string, string>;
  sourceTs: number;
  error: string;
}

/** Fields that are framing, not data. */
const SKIPPED = new Set(["version", "short_message", "full_message", "timestamp", "_id"]);

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Decompresses a payload by its magic bytes; throws on corrupt or oversize input. */
export function inflatePayload(b: Uint8Array, maxBytes: number): Uint8Array {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return gunzipSync(b, { maxOutputLength: maxBytes });
  if (b.length >= 2 && b[0] === 0x78 && (b[0]! * 256 + b[1]!) % 31 === 0) return inflateSync(b, { maxOutputLength: maxBytes });
  return b;
}

/** Maps a (decompressed) payload to record parts, adding `base` attrs first. */
export function gelfRecord(payload: Uint8Array, base: Attrs): GelfRecordParts {
  let obj: unknown;
  try {
    obj = parseJsonText(dec.decode(payload));
  } catch (err) {
    return { raw: payload, attrs: { ...base }, sourceTs: 0, error: `invalid GELF JSON: ${errorMessage(err)}` };
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    return { raw: payload, attrs: { ...base }, sourceTs: 0, error: "invalid GELF: not a JSON object" };
  }
  const o = obj as Record<string, unknown>;
  const attrs: Record<string, string> = { ...base };
  for (const k in o) {
    const v = o[k];
    if (v === null || v === undefined || SKIPPED.has(k)) continue;
    const key = k.length > 1 && k.charCodeAt(0) === 0x5f ? k.slice(1) : k;
    attrs[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const ts = typeof o.timestamp === "number" ? o.timestamp : typeof o.timestamp === "string" ? Number(o.timestamp) : 0;
  const sourceTs = Number.isFinite(ts) && ts > 0 ? Math.round(ts * 1_000_000) : 0;
  const short = o.short_message;
  const full = typeof o.full_message === "string" ? o.full_message : "";
  if (typeof short !== "string") {
    return { raw: payload, attrs, sourceTs, error: "invalid GELF: short_message missing or not a string" };
  }
  const text = full === "" || full === short ? short : full.startsWith(short) ? full : `${short}\n${full}`;
  return { raw: enc.encode(text), attrs, sourceTs, error: "" };
}
