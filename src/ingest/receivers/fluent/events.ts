/**
 * Fluent Forward protocol v1 messages -> entries. The second element picks the mode:
 *   Message                  [tag, time, record, option?]          time: int | float | EventTime
 *   Forward                  [tag, [[time, record], ...], option?]
 *   PackedForward            [tag, bin|str of concatenated [time, record], option?]
 *   CompressedPackedForward  the same with option.compressed = "gzip" (gzip members, concatenated)
 * A time may also come as [time, metadata] (fluent-bit's newer event format). option.chunk
 * asks for an ack. Entries whose record is not a map are reported back as rejected; a message
 * whose shape is wrong is an error (the connection ends). Pure apart from gunzip.
 */

import { gunzipSync } from "node:zlib";
import { errorMessage } from "../../../core/errors.ts";
import { EventTime, unpackAll } from "./msgpack.ts";

/** One event: epoch µs (0 = none given) and its record. */
export interface FluentEntry {
  time: number;
  record: Record<string, unknown>;
}

/** A decoded message: its tag, good entries, how many were rejected and why, the ack id. */
export interface FluentChunk {
  tag: string;
  entries: FluentEntry[];
  rejected: number;
  /** Why the first rejected entry was rejected. */
  rejectReason: string;
  /** option.chunk: the client waits for {"ack": chunk} once the entries are stored. */
  chunk?: string;
}

/** A message that does not follow the protocol; the session ends. */
export class FluentProtocolError extends Error {
  override readonly name = "FluentProtocolError";
}

/** Limits applied while decoding. */
export interface DecodeLimits {
  /** Most bytes a CompressedPackedForward payload may inflate to. */
  maxDecodedBytes: number;
}

/** Decodes one top-level message; throws FluentProtocolError when its shape is wrong. */
export function decodeFluentMessage(v: unknown, limits: DecodeLimits): FluentChunk {
  if (!Array.isArray(v) || v.length < 2 || v.length > 4) throw new FluentProtocolError(`expected [tag, time|entries, ...], got ${describe(v)}`);
  const tag = v[0];
  if (typeof tag !== "string") throw new FluentProtocolError(`tag must be a string, got ${describe(tag)}`);
  const second: unknown = v[1];
  const out: FluentChunk = { tag, entries: [], rejected: 0, rejectReason: "" };
  let option: unknown;
  if (Array.isArray(second) && !isTimeWithMetadata(second)) {
    if (v.length > 3) throw new FluentProtocolError(`Forward mode message has ${v.length} elements, expected [tag, entries, option?]`);
    option = v[2];
    for (const e of second) addEntry(out, e);
  } else if (second instanceof Uint8Array || typeof second === "string") {
    if (v.length > 3) throw new FluentProtocolError(`PackedForward message has ${v.length} elements, expected [tag, entries, option?]`);
    option = v[2];
    const packed = typeof second === "string" ? Buffer.from(second, "latin1") : second;
    for (const e of unpackEntries(packed, optionOf(option).compressed, limits)) addEntry(out, e);
  } else {
    if (v.length < 3) throw new FluentProtocolError(`Message mode needs [tag, time, record, option?], got ${v.length} elements`);
    option = v[3];
    addEntry(out, [second, v[2]]);
  }
  const chunk = optionOf(option).chunk;
  if (chunk !== undefined) {
    if (typeof chunk !== "string") throw new FluentProtocolError(`option chunk must be a string, got ${describe(chunk)}`);
    out.chunk = chunk;
  }
  return out;
}

function optionOf(o: unknown): { chunk?: unknown; compressed?: unknown } {
  if (o === undefined || o === null) return {};
  if (typeof o !== "object" || Array.isArray(o) || o instanceof Uint8Array) throw new FluentProtocolError(`option must be a map, got ${describe(o)}`);
  return o as { chunk?: unknown; compressed?: unknown };
}

function unpackEntries(packed: Uint8Array, compressed: unknown, limits: DecodeLimits): unknown[] {
  let bytes = packed;
  if (compressed === "gzip") {
    try {
      bytes = gunzipSync(packed, { maxOutputLength: limits.maxDecodedBytes });
    } catch (err) {
      throw new FluentProtocolError(`CompressedPackedForward payload: ${errorMessage(err)}`);
    }
  } else if (compressed !== undefined && compressed !== "text") {
    throw new FluentProtocolError(`unsupported option compressed ${describe(compressed)} (gzip or text)`);
  }
  try {
    return unpackAll(bytes);
  } catch (err) {
    throw new FluentProtocolError(`PackedForward entries are not whole MessagePack values: ${errorMessage(err)}`);
  }
}

function addEntry(out: FluentChunk, e: unknown): void {
  const reason = !Array.isArray(e) || e.length !== 2 ? `entry must be [time, record], got ${describe(e)}` : !isRecord(e[1]) ? `record must be a map, got ${describe(e[1])}` : "";
  const time = reason === "" ? timeMicros((e as unknown[])[0]) : -1;
  if (reason !== "" || time < 0) {
    if (out.rejected++ === 0) out.rejectReason = reason !== "" ? reason : `bad event time ${describe((e as unknown[])[0])}`;
    return;
  }
  out.entries.push({ time, record: (e as unknown[])[1] as Record<string, unknown> });
}

/** Event time -> epoch µs; 0 for nil (no time given); -1 when it is not a time. */
export function timeMicros(t: unknown): number {
  if (t instanceof EventTime) return t.seconds * 1_000_000 + Math.floor(t.nanos / 1000);
  if (typeof t === "number") return Number.isFinite(t) && t >= 0 ? Math.round(t * 1_000_000) : -1;
  if (typeof t === "string" && /^\d{1,15}$/.test(t)) return Number(t) * 1_000_000;
  if (t === null || t === undefined) return 0;
  if (isTimeWithMetadata(t)) return timeMicros(t[0]);
  return -1;
}

function isTimeWithMetadata(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2 && (v[0] instanceof EventTime || typeof v[0] === "number") && isRecord(v[1]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof EventTime);
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v instanceof Uint8Array) return `binary(${v.length} bytes)`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === "object" && v !== null) return v.constructor?.name === "Object" ? "a map" : `a ${v.constructor?.name ?? "value"}`;
  return String(v);
}
