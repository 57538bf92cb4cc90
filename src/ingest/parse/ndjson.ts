/**
 * NDJSON line -> record parts. A JSON object's `message`, `msg` or `log` string (first found)
 * becomes raw and the other top-level fields become attrs (strings as-is, numbers as written —
 * `1.0` stays `1.0`, core/json-text.ts — other values as JSON text); an object without one
 * keeps the whole line as raw (fields still become attrs).
 * `time`, `timestamp`, `ts` or `@timestamp` (epoch s/ms/µs/ns number or a timestamp string)
 * gives sourceTs. A line that is not a JSON object is kept raw with an error. Pure.
 */

import { parseJsonText } from "../../core/json-text.ts";
import type { Attrs } from "../../core/record.ts";
import { parseLeadingTimestamp, type TimestampContext } from "./timestamp.ts";

export interface NdjsonRecordParts {
  /** The raw text (encode to bytes at the caller). */
  raw: string;
  attrs: Record<string, string>;
  sourceTs: number;
  /** "" when the line was a JSON object. */
  error: string;
}

const MESSAGE_KEYS = ["message", "msg", "log"] as const;
const TIME_KEYS = ["time", "timestamp", "ts", "@timestamp"] as const;
const enc = new TextEncoder();

/** Epoch µs from a number in s, ms, µs or ns (by magnitude), or from a timestamp string. */
export function jsonTimeMicros(v: unknown, ctx: TimestampContext): number {
  if (typeof v === "number") {
    if (!(v > 0) || !Number.isFinite(v)) return 0;
    if (v < 1e11) return Math.round(v * 1e6);
    if (v < 1e14) return Math.round(v * 1e3);
    if (v < 1e17) return Math.round(v);
    return Math.round(v / 1e3);
  }
  if (typeof v !== "string" || v === "") return 0;
  if (/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return jsonTimeMicros(Number(v), ctx);
  const b = enc.encode(v);
  return parseLeadingTimestamp(b, 0, b.length, ctx);
}

/** Maps one line (without its LF) to record parts, `base` attrs first. */
export function ndjsonRecord(line: string, base: Attrs, ctx: TimestampContext): NdjsonRecordParts {
  let obj: unknown;
  try {
    obj = parseJsonText(line);
  } catch {
    return { raw: line, attrs: { ...base }, sourceTs: 0, error: "invalid JSON" };
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    return { raw: line, attrs: { ...base }, sourceTs: 0, error: "not a JSON object" };
  }
  const o = obj as Record<string, unknown>;
  let msgKey = "";
  for (const k of MESSAGE_KEYS) {
    if (typeof o[k] === "string") {
      msgKey = k;
      break;
    }
  }
  const attrs: Record<string, string> = { ...base };
  for (const k in o) {
    const v = o[k];
    if (k === msgKey || v === null || v === undefined) continue;
    // Numbers and booleans print the same through String as through JSON.stringify, cheaper.
    attrs[k] = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  }
  let sourceTs = 0;
  for (const k of TIME_KEYS) {
    if (o[k] !== undefined) {
      sourceTs = jsonTimeMicros(o[k], ctx);
      if (sourceTs > 0) break;
    }
  }
  return { raw: msgKey === "" ? line : (o[msgKey] as string), attrs, sourceTs, error: "" };
}
