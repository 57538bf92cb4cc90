/**
 * Beats events as records. A JSON event's `message` string is raw (else the JSON text as
 * sent); every other field becomes an attr, nested objects flattened with dots
 * (`host.name`, `log.file.path`, `@metadata.beat`), numbers as sent (`1.0` stays `1.0`,
 * core/json-text.ts), arrays as JSON, null as "". `@timestamp`
 * gives sourceTs. A payload that is not a JSON object is kept raw with `parse_error`. Data
 * frames (key/value pairs) map the same way, with `message` or `line` as raw. Pure.
 */

import { parseJsonText } from "../../../core/json-text.ts";
import type { RecordInput } from "../../../core/record.ts";
import { jsonTimeMicros } from "../../parse/ndjson.ts";

/** Set on records whose payload was not a JSON object (value: the reason). */
export const PARSE_ERROR_ATTR = "parse_error";

const utf8 = new TextDecoder();
const enc = new TextEncoder();
const TS_CTX = { year: 1970 };
/** Bounds of the dotted-key cache: prefixes kept, and keys kept per prefix. */
const MAX_CACHED_PREFIXES = 256;
const MAX_CACHED_KEYS = 256;
/** Dotted keys by prefix and field name: events of one shipper repeat their shape, so each is built once. */
const dotted = new Map<string, Map<string, string>>();

/** The record of a JSON event `buf[start, end)`; `base` (receiver, remote_ip) is copied. */
export function beatsJsonRecord(buf: Uint8Array, start: number, end: number, base: Readonly<Record<string, string>>, ingestTs: number): RecordInput {
  const bytes = buf.subarray(start, end);
  const text = utf8.decode(bytes);
  let doc: unknown;
  try {
    doc = parseJsonText(text);
  } catch {
    return { raw: bytes.slice(), attrs: { ...base, [PARSE_ERROR_ATTR]: "invalid JSON" }, sourceTs: 0, ingestTs };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { raw: bytes.slice(), attrs: { ...base, [PARSE_ERROR_ATTR]: "not a JSON object" }, sourceTs: 0, ingestTs };
  const o = doc as Record<string, unknown>;
  const attrs: Record<string, string> = { ...base };
  const message = o.message;
  for (const k in o) if (k !== "message" || typeof message !== "string") flatten(k, o[k], attrs);
  return {
    raw: typeof message === "string" ? enc.encode(message) : bytes.slice(),
    attrs,
    sourceTs: jsonTimeMicros(o["@timestamp"], TS_CTX),
    ingestTs,
  };
}

/** The record of a data frame's pairs (`message` or `line` is raw; others are attrs). */
export function beatsDataRecord(pairs: readonly [string, string][], base: Readonly<Record<string, string>>, ingestTs: number): RecordInput {
  const attrs: Record<string, string> = { ...base };
  let raw: string | undefined;
  for (const [k, v] of pairs) {
    if (raw === undefined && (k === "message" || k === "line")) raw = v;
    else attrs[k] = v;
  }
  const ts = attrs["@timestamp"] ?? attrs.timestamp;
  return { raw: enc.encode(raw ?? JSON.stringify(Object.fromEntries(pairs))), attrs, sourceTs: jsonTimeMicros(ts, TS_CTX), ingestTs };
}

function flatten(key: string, v: unknown, out: Record<string, string>): void {
  if (typeof v === "string") out[key] = v;
  else if (v === null) out[key] = "";
  else if (typeof v !== "object") out[key] = String(v);
  else if (Array.isArray(v)) out[key] = JSON.stringify(v);
  else {
    let any = false;
    for (const k in v) {
      any = true;
      flatten(dottedKey(key, k), (v as Record<string, unknown>)[k], out);
    }
    if (!any) out[key] = "{}";
  }
}

/** `prefix.k`, the same string object each time while it stays cached. */
function dottedKey(prefix: string, k: string): string {
  let keys = dotted.get(prefix);
  if (keys === undefined) {
    if (dotted.size >= MAX_CACHED_PREFIXES) dotted.clear();
    dotted.set(prefix, (keys = new Map()));
  }
  let key = keys.get(k);
  if (key === undefined) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(k, (key = `${prefix}.${k}`));
  }
  return key;
}
