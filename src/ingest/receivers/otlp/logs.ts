/**
 * OTLP log records as the receiver stores them, shared by the protobuf and JSON decoders:
 * AnyValue as a plain JS value, attributes as ordered key/value pairs, and the mapping to a
 * RecordInput — body → raw (a string as is, anything else as JSON), severity text and number,
 * resource, scope and log attributes (later wins) as attrs, trace/span ids as hex, and
 * `timeUnixNano`, else `observedTimeUnixNano`, as sourceTs. Pure.
 */

import type { RecordInput } from "../../../core/record.ts";

const utf8 = new TextEncoder();

/**
 * An OTLP AnyValue: string, bool, int64 (a number when safe, else exact decimal text in an
 * `Int64Text`), double, bytes (base64 text, as OTLP/JSON writes them), array, or key/value list.
 */
export type AnyValue = string | boolean | number | Int64Text | BytesValue | AnyValue[] | KeyValueList | null;

/** An int64 outside the safe-integer range, as its decimal text. */
export class Int64Text {
  constructor(readonly text: string) {}
}

/** A bytes value, kept as base64 (OTLP/JSON's form). */
export class BytesValue {
  constructor(readonly base64: string) {}
}

/** A kvlistValue: keys in order, duplicates kept as sent (the last one wins when flattened). */
export class KeyValueList {
  constructor(readonly pairs: [string, AnyValue][]) {}
}

/** One decoded log record; times in epoch µs (0 = absent). */
export interface OtlpLog {
  timeUs: number;
  observedUs: number;
  severityNumber: number;
  severityText: string;
  body: AnyValue | undefined;
  /** A string body's UTF-8 bytes as they came (protobuf: a view into the request), used as raw. */
  bodyBytes?: Uint8Array;
  attrs: [string, AnyValue][];
  traceId: string;
  spanId: string;
  eventName: string;
}

/** What every record of one scope shares: the receiver's base attrs plus resource and scope. */
export type SharedAttrs = Record<string, string>;

/** base + resource attributes. */
export function resourceAttrs(base: Readonly<Record<string, string>>, attrs: readonly [string, AnyValue][]): SharedAttrs {
  const out: SharedAttrs = { ...base };
  for (const [k, v] of attrs) out[k] = attrText(v);
  return out;
}

/** resource + scope name/version (`otel.scope.name`, `otel.scope.version`) + scope attributes. */
export function scopeAttrs(resource: SharedAttrs, name: string, version: string, attrs: readonly [string, AnyValue][]): SharedAttrs {
  const out: SharedAttrs = { ...resource };
  if (name !== "") out["otel.scope.name"] = name;
  if (version !== "") out["otel.scope.version"] = version;
  for (const [k, v] of attrs) out[k] = attrText(v);
  return out;
}

/** One stored record from a log of a scope. */
export function toRecord(shared: SharedAttrs, log: OtlpLog, now: number): RecordInput {
  const attrs: Record<string, string> = { ...shared };
  if (log.severityText !== "") attrs.severity = log.severityText;
  if (log.severityNumber !== 0) attrs.severity_number = String(log.severityNumber);
  if (log.traceId !== "") attrs.trace_id = log.traceId;
  if (log.spanId !== "") attrs.span_id = log.spanId;
  if (log.eventName !== "") attrs.event_name = log.eventName;
  for (const [k, v] of log.attrs) attrs[k] = attrText(v);
  const body = log.body;
  const raw = log.bodyBytes ?? utf8.encode(body === undefined || body === null ? "" : typeof body === "string" ? body : JSON.stringify(jsonOf(body)));
  return { raw, attrs, sourceTs: log.timeUs !== 0 ? log.timeUs : log.observedUs, ingestTs: now };
}

/** An attribute value as text: strings as is, scalars printed, structures as JSON. */
export function attrText(v: AnyValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  if (v instanceof Int64Text) return v.text;
  if (v instanceof BytesValue) return v.base64;
  return JSON.stringify(jsonOf(v));
}

/** The JSON form of a value: kvlists as objects, huge ints as strings, bytes as base64. */
export function jsonOf(v: AnyValue): unknown {
  if (v instanceof Int64Text) return v.text;
  if (v instanceof BytesValue) return v.base64;
  if (v instanceof KeyValueList) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.pairs) Object.defineProperty(o, k, { value: jsonOf(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  if (Array.isArray(v)) return v.map(jsonOf);
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/** Lowercase hex of bytes (trace and span ids). */
export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
}

/** A batch decoded from one request: records, plus how many were rejected and why (first reason). */
export interface DecodedLogs {
  records: RecordInput[];
  rejected: number;
  firstError: string;
}
