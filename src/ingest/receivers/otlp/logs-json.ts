/**
 * OTLP/JSON ExportLogsServiceRequest decoder (the protobuf JSON mapping with OTLP's rules):
 * lowerCamelCase field names (proto names like `time_unix_nano` accepted too), trace/span ids as
 * hex, bytes as base64, 64-bit integers as strings or as numbers (the JS exporter sends
 * `intValue` as a number, the spec's example as a string: both are accepted), enums as numbers
 * or names. A body that is not JSON, or whose shape outside a log record is wrong, rejects the
 * request (LogError invalid_argument); a log record with a bad field is rejected alone (partial success).
 */

import { LogError, errorMessage } from "../../../core/errors.ts";
import { BytesValue, Int64Text, KeyValueList, resourceAttrs, scopeAttrs, toRecord, type AnyValue, type DecodedLogs, type OtlpLog, type SharedAttrs } from "./logs.ts";

type Obj = Record<string, unknown>;

const SEVERITY_NAMES = ["UNSPECIFIED", "TRACE", "TRACE2", "TRACE3", "TRACE4", "DEBUG", "DEBUG2", "DEBUG3", "DEBUG4", "INFO", "INFO2", "INFO3", "INFO4", "WARN", "WARN2", "WARN3", "WARN4", "ERROR", "ERROR2", "ERROR3", "ERROR4", "FATAL", "FATAL2", "FATAL3", "FATAL4"];
const MAX_DEPTH = 32;
const HEX_RE = /^[0-9a-fA-F]*$/;
const DIGITS_RE = /^-?\d+$/;

/**
 * Error paths (`resourceLogs[0].scopeLogs[1].logRecords[3].attributes[2].value`) are built only
 * while `naming` is set: requests decode without them, and a request or record that fails is
 * decoded again with them for its message (a path string per field cost more than the checks).
 */
let naming = false;
const at = (path: string, leaf: string): string => (naming ? path + leaf : "");
const nth = (path: string, i: number, leaf = ""): string => (naming ? `${path}[${i}]${leaf}` : "");

/** Runs `decode` with error paths on; returns what it threw (undefined if nothing). */
function withPaths(decode: () => unknown): unknown {
  naming = true;
  try {
    decode();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    naming = false;
  }
}

/** Decodes a (decompressed) JSON request body into records. */
export function decodeJsonLogs(text: string, base: Readonly<Record<string, string>>, now: number): DecodedLogs {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new LogError("invalid_argument", `body is not JSON: ${errorMessage(err)}`);
  }
  const out: DecodedLogs = { records: [], rejected: 0, firstError: "" };
  try {
    request(doc, base, now, out);
  } catch (err) {
    throw withPaths(() => request(doc, base, now, { records: [], rejected: 0, firstError: "" })) ?? err;
  }
  return out;
}

function request(doc: unknown, base: Readonly<Record<string, string>>, now: number, out: DecodedLogs): void {
  const top = object(doc, "request");
  array(field(top, "resourceLogs", "resource_logs"), "resourceLogs").forEach((rl, i) => {
    const path = nth("resourceLogs", i);
    const o = object(rl, path);
    const res = field(o, "resource");
    const shared = resourceAttrs(base, res === undefined || res === null ? [] : keyValues(field(object(res, at(path, ".resource")), "attributes"), at(path, ".resource.attributes"), 0));
    array(field(o, "scopeLogs", "scope_logs"), at(path, ".scopeLogs")).forEach((sl, j) => scopeLogs(sl, i, j, shared, now, out));
  });
}

function scopeLogs(v: unknown, i: number, j: number, resourceShared: SharedAttrs, now: number, out: DecodedLogs): void {
  const path = nth(at(nth("resourceLogs", i), ".scopeLogs"), j);
  const o = object(v, path);
  const sc = field(o, "scope");
  let shared = resourceShared;
  if (sc !== undefined && sc !== null) {
    const s = object(sc, at(path, ".scope"));
    shared = scopeAttrs(resourceShared, str(field(s, "name"), at(path, ".scope.name")), str(field(s, "version"), at(path, ".scope.version")), keyValues(field(s, "attributes"), at(path, ".scope.attributes"), 0));
  }
  array(field(o, "logRecords", "log_records"), at(path, ".logRecords")).forEach((lr, k) => {
    try {
      out.records.push(toRecord(shared, logRecord(lr, nth(at(path, ".logRecords"), k)), now));
    } catch (err) {
      out.rejected++;
      if (out.firstError === "") out.firstError = errorMessage(withPaths(() => logRecord(lr, `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`)) ?? err);
    }
  });
}

function logRecord(v: unknown, path: string): OtlpLog {
  const o = object(v, path);
  const body = field(o, "body");
  return {
    timeUs: nanosToMicros(field(o, "timeUnixNano", "time_unix_nano"), at(path, ".timeUnixNano")),
    observedUs: nanosToMicros(field(o, "observedTimeUnixNano", "observed_time_unix_nano"), at(path, ".observedTimeUnixNano")),
    severityNumber: severity(field(o, "severityNumber", "severity_number"), at(path, ".severityNumber")),
    severityText: str(field(o, "severityText", "severity_text"), at(path, ".severityText")),
    body: body === undefined || body === null ? undefined : anyValue(body, at(path, ".body"), 0),
    attrs: keyValues(field(o, "attributes"), at(path, ".attributes"), 0),
    traceId: hexId(field(o, "traceId", "trace_id"), 16, at(path, ".traceId")),
    spanId: hexId(field(o, "spanId", "span_id"), 8, at(path, ".spanId")),
    eventName: str(field(o, "eventName", "event_name"), at(path, ".eventName")),
  };
}

function keyValues(v: unknown, path: string, depth: number): [string, AnyValue][] {
  if (v === undefined || v === null) return [];
  return array(v, path).map((kv, i) => {
    const o = object(kv, nth(path, i));
    const value = field(o, "value");
    return [str(field(o, "key"), nth(path, i, ".key")), value === undefined || value === null ? null : anyValue(value, nth(path, i, ".value"), depth)];
  });
}

function anyValue(v: unknown, path: string, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new LogError("invalid_argument", `${path}: nested deeper than ${MAX_DEPTH} levels`);
  const o = object(v, path);
  for (const k in o) {
    const x = o[k];
    switch (k) {
      case "stringValue":
      case "string_value":
        return str(x, at(path, ".stringValue"));
      case "boolValue":
      case "bool_value":
        if (typeof x !== "boolean") throw bad(at(path, ".boolValue"), "true or false", x);
        return x;
      case "intValue":
      case "int_value":
        return int64(x, at(path, ".intValue"));
      case "doubleValue":
      case "double_value":
        return double(x, at(path, ".doubleValue"));
      case "bytesValue":
      case "bytes_value":
        return new BytesValue(str(x, at(path, ".bytesValue")));
      case "arrayValue":
      case "array_value": {
        const vs = field(object(x, at(path, ".arrayValue")), "values");
        return vs === undefined || vs === null ? [] : array(vs, at(path, ".arrayValue.values")).map((e, i) => anyValue(e, nth(at(path, ".arrayValue.values"), i), depth + 1));
      }
      case "kvlistValue":
      case "kvlist_value":
        return new KeyValueList(keyValues(field(object(x, at(path, ".kvlistValue")), "values"), at(path, ".kvlistValue.values"), depth + 1));
    }
  }
  return null;
}

/** A uint64 of nanoseconds (string or number) as whole microseconds; absent = 0. */
function nanosToMicros(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return Math.floor(v / 1000);
  if (typeof v === "string" && /^\d+$/.test(v)) return v.length <= 3 ? 0 : Number(v.slice(0, -3));
  throw bad(path, "a non-negative integer of nanoseconds", v);
}

function int64(v: unknown, path: string): number | Int64Text {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && DIGITS_RE.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : new Int64Text(BigInt.asIntN(64, BigInt(v)).toString());
  }
  throw bad(path, "an integer", v);
}

function double(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw bad(path, "a number", v);
}

function severity(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === "string") {
    const i = SEVERITY_NAMES.indexOf(v.replace(/^SEVERITY_NUMBER_/, ""));
    if (i >= 0) return i;
  }
  throw bad(path, "a severity number or name", v);
}

function hexId(v: unknown, size: number, path: string): string {
  if (v === undefined || v === null || v === "") return "";
  if (typeof v !== "string" || v.length !== size * 2 || !HEX_RE.test(v)) throw bad(path, `${size * 2} hex digits`, v);
  return v.toLowerCase();
}

function field(o: Obj, name: string, protoName?: string): unknown {
  const v = o[name];
  return v === undefined && protoName !== undefined ? o[protoName] : v;
}

function object(v: unknown, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(path, "an object", v);
  return v as Obj;
}

function array(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(path, "an array", v);
  return v;
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw bad(path, "a string", v);
  return v;
}

function bad(path: string, want: string, got: unknown): LogError {
  const shown = JSON.stringify(got);
  return new LogError("invalid_argument", `${path} must be ${want}, got ${shown === undefined ? "undefined" : shown.length > 60 ? `${shown.slice(0, 60)}...` : shown}`);
}
