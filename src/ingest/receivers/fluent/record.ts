/**
 * A Fluent entry as a record: raw is the record's `message`, else `log`, else `msg` (a string
 * or binary value, bytes kept as sent), else the whole record as JSON; every other key becomes
 * an attr (strings as they are, binary as UTF-8, numbers and booleans as text, maps and arrays
 * as JSON); the tag is attr `tag`; sourceTs is the event time. Pure.
 */

import type { RecordInput } from "../../../core/record.ts";
import { EventTime } from "./msgpack.ts";

/** Record keys taken as the message, in order of preference. */
export const MESSAGE_KEYS = ["message", "log", "msg"] as const;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Builds the record of one entry; `base` holds receiver, remote_ip (copied, not modified). */
export function fluentRecord(tag: string, time: number, record: Record<string, unknown>, base: Readonly<Record<string, string>>, ingestTs: number): RecordInput {
  let rawKey = "";
  let raw: Uint8Array | undefined;
  for (const k of MESSAGE_KEYS) {
    const v = record[k];
    if (typeof v === "string") raw = enc.encode(v);
    else if (v instanceof Uint8Array) raw = v;
    if (raw) {
      rawKey = k;
      break;
    }
  }
  const attrs: Record<string, string> = { ...base, tag };
  for (const k in record) {
    if (k === rawKey) continue;
    attrs[k] = attrText(record[k]);
  }
  raw ??= enc.encode(toJson(record));
  return { raw, attrs, sourceTs: time, ingestTs };
}

/** An attr value as text. */
function attrText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return dec.decode(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null || v === undefined) return "";
  return toJson(v);
}

/** JSON for any decoded MessagePack value (binary as UTF-8 text, EventTime as seconds). */
export function toJson(v: unknown): string {
  return JSON.stringify(v, function (this: Record<string, unknown>, k: string, value: unknown) {
    // The holder's own value: Buffer.toJSON has already run on `value`.
    const x = this[k] ?? value;
    if (x instanceof Uint8Array) return dec.decode(x);
    if (typeof x === "bigint") return x.toString();
    if (x instanceof EventTime) return x.seconds + x.nanos / 1e9;
    if (x instanceof Map) return Object.fromEntries(x);
    if (x instanceof Set) return [...x];
    return value;
  });
}
