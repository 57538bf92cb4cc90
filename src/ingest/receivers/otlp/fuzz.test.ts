/**
 * Fuzzing the OTLP decoders (protobuf and JSON). Round trip: random log records — string,
 * number, bool, bytes, array and map bodies; attributes of every kind on the resource, scope
 * and record; times; trace context — encoded by @opentelemetry/otlp-transformer's serializers
 * (what the SDK exporters send) decode to exactly the expected records. Robustness: random
 * bytes, mutated SDK captures and random JSON shapes never throw anything but a LogError (the
 * receiver's 400), never hang, and an HTTP receiver fed them keeps answering good requests.
 * Runs: 1500 by default, GASTROLOG_FUZZ_RUNS=N for a long run.
 */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { JsonLogsSerializer, ProtobufLogsSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { LogError } from "../../../core/errors.ts";
import { capture, fuzzRuns } from "../../test-support.ts";
import { startHarness } from "../../../../test/receivers/support.ts";
import { decodeJsonLogs } from "./logs-json.ts";
import { decodeProtoLogs } from "./logs-proto.ts";

const dec = new TextDecoder();
const base = { receiver: "f" };
type Scalar = string | number | boolean;

const scalar: fc.Arbitrary<Scalar> = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), fc.boolean());
const attrValue = fc.oneof(scalar, fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
const attrs = (prefix: string) => fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).map((k) => `${prefix}${k}`), attrValue, { maxKeys: 4 });
const body = fc.oneof(
  fc.string({ maxLength: 40 }),
  scalar,
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), scalar, { maxKeys: 3 }),
);
const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString("hex"));
const logRecord = fc.record({
  body: fc.option(body, { nil: undefined }),
  attributes: attrs("l."),
  sec: fc.integer({ min: 1, max: 4_000_000_000 }),
  nanos: fc.integer({ min: 0, max: 999_999_999 }),
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: fc.constantFrom("", "INFO", "ERROR"),
  trace: fc.option(fc.tuple(hex(16), hex(8)), { nil: undefined }),
});
const batch = fc.record({ resource: attrs("r."), scopeName: fc.string({ minLength: 1, maxLength: 6 }), scopeAttrs: attrs("s."), logs: fc.array(logRecord, { minLength: 1, maxLength: 4 }) });

type Gen = typeof batch extends fc.Arbitrary<infer T> ? T : never;

function sdkRecords(b: Gen): ReadableLogRecord[] {
  const resource = resourceFromAttributes(b.resource);
  const scope = { name: b.scopeName, version: "1", attributes: b.scopeAttrs };
  return b.logs.map((l) => ({
    hrTime: [l.sec, l.nanos],
    hrTimeObserved: [l.sec, l.nanos],
    ...(l.trace ? { spanContext: { traceId: l.trace[0], spanId: l.trace[1], traceFlags: 1 } } : {}),
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: l.body,
    resource,
    instrumentationScope: scope,
    attributes: l.attributes,
    droppedAttributesCount: 0,
  }));
}

const text = (v: unknown): string => (typeof v === "string" ? v : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : JSON.stringify(v));
const attrText = (v: unknown): string => (typeof v === "number" || typeof v === "boolean" ? String(v) : text(v));

function expected(b: Gen) {
  const shared: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(b.resource)) shared[k] = attrText(v);
  shared["otel.scope.name"] = b.scopeName;
  shared["otel.scope.version"] = "1";
  for (const [k, v] of Object.entries(b.scopeAttrs)) shared[k] = attrText(v);
  return b.logs.map((l) => {
    const a: Record<string, string> = { ...shared };
    if (l.severityText !== "") a.severity = l.severityText;
    if (l.severityNumber !== 0) a.severity_number = String(l.severityNumber);
    if (l.trace) Object.assign(a, { trace_id: l.trace[0], span_id: l.trace[1] });
    for (const [k, v] of Object.entries(l.attributes)) a[k] = attrText(v);
    const raw = l.body === undefined ? "" : typeof l.body === "string" ? l.body : l.body instanceof Uint8Array ? JSON.stringify(text(l.body)) : JSON.stringify(l.body);
    return { raw, attrs: a, sourceTs: l.sec * 1_000_000 + Math.floor(l.nanos / 1000) };
  });
}

const simple = (rs: { raw: Uint8Array; attrs: Record<string, string>; sourceTs: number }[]) => rs.map((r) => ({ raw: dec.decode(r.raw), attrs: { ...r.attrs }, sourceTs: r.sourceTs }));

test("round trip: what the SDK's protobuf and JSON serializers encode decodes to the expected records", () => {
  fc.assert(
    fc.property(batch, (b) => {
      const recs = sdkRecords(b);
      const want = expected(b);
      const proto = decodeProtoLogs(ProtobufLogsSerializer.serializeRequest(recs)!, base, 0);
      const json = decodeJsonLogs(dec.decode(JsonLogsSerializer.serializeRequest(recs)!), base, 0);
      expect({ proto: simple(proto.records), rejected: proto.rejected }).toEqual({ proto: want, rejected: 0 });
      expect({ json: simple(json.records), rejected: json.rejected }).toEqual({ json: want, rejected: 0 });
    }),
    { numRuns: fuzzRuns(1500) },
  );
}, 600_000);

const seeds = [capture("otlp/otlp-http-proto.req0.body.bin"), capture("otlp/otlp-grpc-node.call0.grpcframes.bin").subarray(5)];
const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat()).map(([s, m, cut]) => {
  const b = s.slice();
  for (const [i, v] of m) b[i % b.length] = v;
  return cut % 4 === 0 ? b.subarray(0, cut % b.length) : b;
});
const jsonCapture = dec.decode(capture("otlp/otlp-http-json.req0.body.bin"));
const jsonInput = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.json({ maxDepth: 5 }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 4 })).map(([i, s]) => jsonCapture.slice(0, i % jsonCapture.length) + s + jsonCapture.slice((i % jsonCapture.length) + s.length)),
  fc.anything({ maxDepth: 4 }).map((a) => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [a, { body: a, attributes: [{ key: "k", value: a }] }] }] }] }) ?? ""),
);

/** Decoding either succeeds or throws a LogError (answered 400); anything else is a bug. */
function decodesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (err) {
    return err instanceof LogError;
  }
}

test("robustness: random bytes and mutated captures (protobuf), random JSON shapes: a result or a LogError, nothing else", () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (b) => decodesOrRefuses(() => decodeProtoLogs(b, base, 0))),
    { numRuns: fuzzRuns(1500) },
  );
  fc.assert(
    fc.property(jsonInput, (s) => decodesOrRefuses(() => decodeJsonLogs(s, base, 0))),
    { numRuns: fuzzRuns(1500) },
  );
}, 600_000);

test("a receiver fed malformed bodies over HTTP counts them and keeps storing good requests", async () => {
  await using h = await startHarness({ type: "otlp", listen: ["http://127.0.0.1:0"] });
  const url = `http://127.0.0.1:${h.port("http")}/v1/logs`;
  const bodies = fc.sample(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), { numRuns: 60, seed: 7 });
  const statuses = new Set<number>();
  for (const b of bodies) statuses.add((await fetch(url, { method: "POST", body: b, headers: { "content-type": "application/x-protobuf" } })).status);
  const good = await fetch(url, { method: "POST", body: seeds[0]!, headers: { "content-type": "application/x-protobuf" } });
  expect({ statuses: [...statuses].every((s) => s === 200 || s === 400), good: good.status, crashes: h.events.filter((e) => e.kind === "crash").length }).toEqual({ statuses: true, good: 200, crashes: 0 });
  expect(h.records().some((r) => dec.decode(r.raw) === "hello otlp http-proto")).toBe(true);
});
