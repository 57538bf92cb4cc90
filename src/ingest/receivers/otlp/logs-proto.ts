/**
 * OTLP/protobuf ExportLogsServiceRequest decoder (opentelemetry/proto/collector/logs/v1), read
 * straight off the wire with core/bytes/protobuf.ts. Field numbers, from logs.proto/common.proto:
 *
 *   ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
 *   ResourceLogs  { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
 *   Resource      { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
 *   ScopeLogs     { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
 *   InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
 *   LogRecord     { fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11;
 *                   SeverityNumber severity_number = 2; string severity_text = 3; AnyValue body = 5;
 *                   repeated KeyValue attributes = 6; uint32 dropped_attributes_count = 7;
 *                   fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10; string event_name = 12; }
 *   AnyValue      { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
 *                   double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6;
 *                   bytes bytes_value = 7; } }
 *   ArrayValue { repeated AnyValue values = 1; }  KeyValueList { repeated KeyValue values = 1; }
 *   KeyValue   { string key = 1; AnyValue value = 2; }
 *
 * Which types and why: @opentelemetry/otlp-transformer (pinned, the user's choice) is the
 * SDK's encoder; since 0.2xx it ships no generated request types and no request decoder (its
 * protobufjs classes were replaced by a write-only serializer), only the response types. So the
 * receiver answers with its IExportLogsServiceResponse type (response.ts), the tests encode
 * requests and parse our answers with its ProtobufLogsSerializer/JsonLogsSerializer (what the
 * exporters use), and requests are read here off the wire: offsets into the body, no object
 * tree per message, which is also what the ingest hot path wants. @bufbuild/protobuf with the
 * OTLP protos would add generated code that only api/ may import, for no gain in checking.
 *
 * Broken framing outside a LogRecord rejects the request (ParseError); a LogRecord whose own
 * bytes are malformed, or whose trace/span id has the wrong length, is rejected alone (partial
 * success), since its length prefix still says where the next one starts.
 */

import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from "../../../core/bytes/protobuf.ts";
import { TextCache } from "../../../core/bytes/text-cache.ts";
import { errorMessage, ParseError } from "../../../core/errors.ts";
import { BytesValue, hexOf, Int64Text, KeyValueList, resourceAttrs, scopeAttrs, toRecord, type AnyValue, type DecodedLogs, type OtlpLog, type SharedAttrs } from "./logs.ts";

/** Wire type of each LogRecord field (a known field with another wire type is malformed). */
const LOG_RECORD_WIRE: Readonly<Record<number, number>> = { 1: WIRE_FIXED64, 2: WIRE_VARINT, 3: WIRE_LEN, 5: WIRE_LEN, 6: WIRE_LEN, 7: WIRE_VARINT, 8: WIRE_FIXED32, 9: WIRE_LEN, 10: WIRE_LEN, 11: WIRE_FIXED64, 12: WIRE_LEN };
/** Nesting of arrays/kvlists accepted in one AnyValue (a deeper one rejects its record). */
const MAX_DEPTH = 32;
/** Keys and short values repeat from record to record: each is built once, not per record. */
const texts = new TextCache();

/** A length-delimited field read as text through the cache. */
function text(b: Uint8Array, r: ProtoReader): string {
  const s = r.lengthDelimited();
  return texts.text(b, s, r.pos);
}

/** Decodes a (decompressed) request body into records. */
export function decodeProtoLogs(b: Uint8Array, base: Readonly<Record<string, string>>, now: number): DecodedLogs {
  const out: DecodedLogs = { records: [], rejected: 0, firstError: "" };
  const r = new ProtoReader(b);
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) resourceLogs(b, r.lengthDelimited(), r.pos, base, now, out);
    else r.skip(tag & 7);
  }
  return out;
}

function resourceLogs(b: Uint8Array, start: number, end: number, base: Readonly<Record<string, string>>, now: number, out: DecodedLogs): void {
  const r = new ProtoReader(b, start, end);
  let attrs: [string, AnyValue][] = [];
  /** Start and end of each ScopeLogs, flat. */
  const scopes: number[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) attrs = resource(b, r.lengthDelimited(), r.pos);
    else if (tag === ((2 << 3) | WIRE_LEN)) scopes.push(r.lengthDelimited(), r.pos);
    else r.skip(tag & 7);
  }
  // The resource may follow its scopes on the wire: apply it once the message is read.
  const shared = resourceAttrs(base, attrs);
  for (let i = 0; i < scopes.length; i += 2) scopeLogs(b, scopes[i]!, scopes[i + 1]!, shared, now, out);
}

function resource(b: Uint8Array, start: number, end: number): [string, AnyValue][] {
  const r = new ProtoReader(b, start, end);
  const attrs: [string, AnyValue][] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) attrs.push(keyValue(b, r.lengthDelimited(), r.pos, 0));
    else r.skip(tag & 7);
  }
  return attrs;
}

function scopeLogs(b: Uint8Array, start: number, end: number, resourceShared: SharedAttrs, now: number, out: DecodedLogs): void {
  const r = new ProtoReader(b, start, end);
  let name = "";
  let version = "";
  let attrs: [string, AnyValue][] = [];
  /** Start and end of each LogRecord, flat. */
  const logs: number[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) [name, version, attrs] = scope(b, r.lengthDelimited(), r.pos);
    else if (tag === ((2 << 3) | WIRE_LEN)) logs.push(r.lengthDelimited(), r.pos);
    else r.skip(tag & 7);
  }
  const shared = scopeAttrs(resourceShared, name, version, attrs);
  for (let i = 0; i < logs.length; i += 2) {
    const s = logs[i]!;
    try {
      out.records.push(toRecord(shared, logRecord(b, s, logs[i + 1]!), now));
    } catch (err) {
      out.rejected++;
      if (out.firstError === "") out.firstError = `log record at byte ${s}: ${errorMessage(err)}`;
    }
  }
}

function scope(b: Uint8Array, start: number, end: number): [string, string, [string, AnyValue][]] {
  const r = new ProtoReader(b, start, end);
  let name = "";
  let version = "";
  const attrs: [string, AnyValue][] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) name = text(b, r);
    else if (tag === ((2 << 3) | WIRE_LEN)) version = text(b, r);
    else if (tag === ((3 << 3) | WIRE_LEN)) attrs.push(keyValue(b, r.lengthDelimited(), r.pos, 0));
    else r.skip(tag & 7);
  }
  return [name, version, attrs];
}

function logRecord(b: Uint8Array, start: number, end: number): OtlpLog {
  const r = new ProtoReader(b, start, end);
  const log: OtlpLog = { timeUs: 0, observedUs: 0, severityNumber: 0, severityText: "", body: undefined, attrs: [], traceId: "", spanId: "", eventName: "" };
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | WIRE_FIXED64:
        log.timeUs = r.fixed64NanosToMicros();
        break;
      case (11 << 3) | WIRE_FIXED64:
        log.observedUs = r.fixed64NanosToMicros();
        break;
      case (2 << 3) | WIRE_VARINT:
        log.severityNumber = r.varint();
        break;
      case (3 << 3) | WIRE_LEN:
        log.severityText = text(b, r);
        break;
      case (5 << 3) | WIRE_LEN: {
        const s = r.lengthDelimited();
        const e = r.pos;
        const text = stringOnly(b, s, e);
        if (text) log.bodyBytes = text;
        else log.body = anyValue(b, s, e, 0);
        break;
      }
      case (6 << 3) | WIRE_LEN:
        log.attrs.push(keyValue(b, r.lengthDelimited(), r.pos, 0));
        break;
      case (9 << 3) | WIRE_LEN:
        log.traceId = id(b, r.lengthDelimited(), r.pos, 16, "trace_id");
        break;
      case (10 << 3) | WIRE_LEN:
        log.spanId = id(b, r.lengthDelimited(), r.pos, 8, "span_id");
        break;
      case (12 << 3) | WIRE_LEN:
        log.eventName = text(b, r);
        break;
      default:
        if (LOG_RECORD_WIRE[tag >>> 3] !== undefined && tag >>> 3 !== 7 && tag >>> 3 !== 8) throw new ParseError(r.pos, `LogRecord field ${tag >>> 3} has wire type ${tag & 7}, expected ${LOG_RECORD_WIRE[tag >>> 3]}`);
        r.skip(tag & 7);
    }
  }
  return log;
}

/** The bytes of an AnyValue that is just a string_value (the common body), else undefined. */
function stringOnly(b: Uint8Array, start: number, end: number): Uint8Array | undefined {
  if (start >= end || b[start] !== ((1 << 3) | WIRE_LEN)) return undefined;
  const r = new ProtoReader(b, start + 1, end);
  const s = r.lengthDelimited();
  return r.pos === end ? b.subarray(s, end) : undefined;
}

function id(b: Uint8Array, s: number, e: number, size: number, name: string): string {
  if (e === s) return "";
  if (e - s !== size) throw new ParseError(s, `${name} must be ${size} bytes, got ${e - s}`);
  return hexOf(b.subarray(s, e));
}

function keyValue(b: Uint8Array, start: number, end: number, depth: number): [string, AnyValue] {
  const r = new ProtoReader(b, start, end);
  let key = "";
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) key = text(b, r);
    else if (tag === ((2 << 3) | WIRE_LEN)) value = anyValue(b, r.lengthDelimited(), r.pos, depth);
    else r.skip(tag & 7);
  }
  return [key, value];
}

function anyValue(b: Uint8Array, start: number, end: number, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new ParseError(start, `value nested deeper than ${MAX_DEPTH} levels`);
  const r = new ProtoReader(b, start, end);
  let v: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        v = text(b, r);
        break;
      case (2 << 3) | WIRE_VARINT:
        v = r.varint() !== 0;
        break;
      case (3 << 3) | WIRE_VARINT: {
        const n = r.int64();
        v = typeof n === "number" ? n : new Int64Text(n);
        break;
      }
      case (4 << 3) | WIRE_FIXED64:
        v = r.double();
        break;
      case (5 << 3) | WIRE_LEN:
        v = list(b, r.lengthDelimited(), r.pos, (s, e) => anyValue(b, s, e, depth + 1));
        break;
      case (6 << 3) | WIRE_LEN:
        v = new KeyValueList(list(b, r.lengthDelimited(), r.pos, (s, e) => keyValue(b, s, e, depth + 1)));
        break;
      case (7 << 3) | WIRE_LEN: {
        const [s, e] = r.bytes();
        v = new BytesValue(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString("base64"));
        break;
      }
      default:
        if (tag >>> 3 >= 1 && tag >>> 3 <= 7) throw new ParseError(r.pos, `AnyValue field ${tag >>> 3} has wire type ${tag & 7}`);
        r.skip(tag & 7);
    }
  }
  return v;
}

/** The `values = 1` entries of an ArrayValue or KeyValueList. */
function list<T>(b: Uint8Array, start: number, end: number, item: (s: number, e: number) => T): T[] {
  const r = new ProtoReader(b, start, end);
  const out: T[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | WIRE_LEN)) out.push(item(r.lengthDelimited(), r.pos));
    else r.skip(tag & 7);
  }
  return out;
}
