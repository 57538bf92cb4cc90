/**
 * OTLP receiver on a real file store: the SDK exporters' captured requests (HTTP JSON,
 * protobuf, gzip; gRPC plain and gzip) stored as expected, the spec's example request, JSON
 * integers as numbers and strings, partial success for records rejected alone (answers parsed
 * by @opentelemetry/otlp-transformer, as the SDK parses them), malformed and oversize requests,
 * unknown methods, backpressure and failed appends with their retry hints, on HTTP and gRPC.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import { gunzipSync, gzipSync } from "node:zlib";
import { JsonLogsSerializer, ProtobufLogsSerializer } from "@opentelemetry/otlp-transformer";
import { ProtoReader, ProtoWriter } from "../../../core/bytes/protobuf.ts";
import { capture, sharedFixture } from "../../test-support.ts";
import { fillQueue, simplify, startHarness } from "../../../../test/receivers/support.ts";
import { EXPORT_PATH } from "./grpc.ts";

type H = Awaited<ReturnType<typeof startHarness>>;

/** What the captured SDK requests hold (peers/otlp-send.js), as stored. */
function captured(kind: string, t0: number) {
  const shared = { receiver: "r1", "service.name": "peer-test", "host.name": "vm", "otel.scope.name": "peers", "otel.scope.version": "1.0.0" };
  return [
    { raw: `hello otlp ${kind}`, attrs: { ...shared, severity: "INFO", severity_number: "9", "http.method": "GET", count: "3", ratio: "0.5", ok: "true", tags: '["a","b"]' }, sourceTs: t0 },
    { raw: '{"structured":"body","n":1}', attrs: { ...shared, severity: "ERROR", severity_number: "17", "exception.type": "Error" }, sourceTs: t0 + 1000 },
  ];
}

async function harness(opts: { failAppends?: boolean; maxQueuedRecords?: number; maxBodyBytes?: number } = {}): Promise<H> {
  const h = await startHarness({ type: "otlp", listen: ["http://127.0.0.1:0", "grpc://127.0.0.1:0"], options: opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {} }, opts.maxQueuedRecords ? { maxQueuedRecords: opts.maxQueuedRecords } : {});
  if (opts.failAppends) h.appender.append = () => Promise.reject(new Error("disk full"));
  return h;
}

function post(h: H, body: Uint8Array | string, headers: Record<string, string>, path = "/v1/logs"): Promise<Response> {
  return fetch(`http://127.0.0.1:${h.port("http")}${path}`, { method: "POST", body, headers });
}

/** One gRPC call with a raw HTTP/2 client: the response message and the trailers (or trailers-only headers). */
async function grpcCall(h: H, message: Uint8Array, opts: { path?: string; gzip?: boolean; encoding?: string } = {}): Promise<{ status: string; message: string; details: Uint8Array; body: Uint8Array }> {
  const client = http2.connect(`http://127.0.0.1:${h.port("grpc")}`);
  try {
    const payload = opts.gzip ? gzipSync(message) : message;
    const framed = new Uint8Array(5 + payload.length);
    framed[0] = opts.gzip ? 1 : 0;
    new DataView(framed.buffer).setUint32(1, payload.length);
    framed.set(payload, 5);
    const req = client.request({ ":method": "POST", ":path": opts.path ?? EXPORT_PATH, "content-type": "application/grpc", te: "trailers", ...(opts.gzip ? { "grpc-encoding": opts.encoding ?? "gzip" } : {}) });
    const meta: Record<string, string> = {};
    const keep = (hs: http2.IncomingHttpHeaders) => {
      for (const [k, v] of Object.entries(hs)) if (k.startsWith("grpc-")) meta[k] = String(v);
    };
    req.on("response", keep);
    req.on("trailers", keep);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.end(framed);
    await new Promise((r) => req.on("close", r));
    const body = Buffer.concat(chunks);
    return { status: meta["grpc-status"] ?? "", message: decodeURIComponent(meta["grpc-message"] ?? ""), details: Buffer.from(meta["grpc-status-details-bin"] ?? "", "base64"), body: body.subarray(5) };
  } finally {
    client.close();
  }
}

/** google.rpc.Status → code, message and the RetryInfo delay in seconds (0 when none). */
function status(b: Uint8Array): { code: number; message: string; retrySeconds: number } {
  const out = { code: 0, message: "", retrySeconds: 0 };
  const r = new ProtoReader(b);
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x08) out.code = r.varint();
    else if (tag === 0x12) out.message = new TextDecoder().decode(b.subarray(...r.bytes()));
    else if (tag === 0x1a) {
      // Any { type_url = 1; value = 2 } holding RetryInfo { Duration retry_delay = 1 { seconds = 1 } }
      const [s, e] = r.bytes();
      const any = new ProtoReader(b, s, e);
      while (any.pos < any.end) {
        const t = any.varint();
        if (t === 0x12) out.retrySeconds = new ProtoReader(b, any.pos + 4, any.bytes()[1]).varint();
        else any.skip(t & 7);
      }
    } else r.skip(tag & 7);
  }
  return out;
}

describe("SDK exporter captures", () => {
  test("HTTP JSON, protobuf and protobuf+gzip requests are stored as the SDK sent them", async () => {
    await using h = await harness();
    const cases = [
      ["otlp-http-json.req0.body.bin", "application/json", ""],
      ["otlp-http-proto.req0.body.bin", "application/x-protobuf", ""],
      ["otlp-http-proto-gzip.req0.body.bin", "application/x-protobuf", "gzip"],
    ] as const;
    const answers: string[] = [];
    for (const [file, type, enc] of cases) {
      const r = await post(h, capture(`otlp/${file}`), { "content-type": type, ...(enc ? { "content-encoding": enc } : {}) });
      answers.push(`${r.status} ${r.headers.get("content-type")} ${type === "application/json" ? await r.text() : (await r.arrayBuffer()).byteLength}`);
    }
    expect(answers).toEqual(["200 application/json {}", "200 application/x-protobuf 0", "200 application/x-protobuf 0"]);
    const rs = simplify(h.records());
    expect(rs.slice(0, 2)).toEqual(captured("http-json", 1795726015821000));
    expect(rs.slice(2).map((r) => r.raw)).toEqual(["hello otlp http-proto", '{"structured":"body","n":1}', "hello otlp http-proto", '{"structured":"body","n":1}']);
    expect(rs[2]).toEqual(captured("http-proto", rs[2]!.sourceTs)[0]!);
  });

  test("gRPC calls, plain and gzip, are stored and answered OK with an empty response", async () => {
    await using h = await harness();
    const plain = await grpcCall(h, capture("otlp/otlp-grpc-node.call0.grpcframes.bin").subarray(5));
    const gz = capture("otlp/otlp-grpc-gzip-node.call0.grpcframes.bin");
    const zipped = await grpcCall(h, gunzipSync(gz.subarray(5)), { gzip: true });
    expect([plain.status, plain.body.length, zipped.status]).toEqual(["0", 0, "0"]);
    const rs = simplify(h.records());
    expect(rs).toEqual([...captured("grpc", rs[0]!.sourceTs), ...captured("grpc", rs[2]!.sourceTs)]);
  });
});

describe("decoding", () => {
  const vector = sharedFixture("vectors/otlp/logs.json");
  test.skipIf(!vector)("the spec's example request (opentelemetry-proto examples/logs.json; needs ../shared)", async () => {
    await using h = await harness();
    const r = await post(h, readFileSync(vector!), { "content-type": "application/json" });
    expect(r.status).toBe(200);
    expect(simplify(h.records())).toEqual([
      {
        raw: "Example log record",
        attrs: {
          receiver: "r1",
          "service.name": "my.service",
          "otel.scope.name": "my.library",
          "otel.scope.version": "1.0.0",
          "my.scope.attribute": "some scope attribute",
          severity: "Information",
          severity_number: "10",
          trace_id: "5b8efff798038103d269b633813fc60c",
          span_id: "eee19b7ec3c1b174",
          "string.attribute": "some string",
          "boolean.attribute": "true",
          "int.attribute": "10",
          "double.attribute": "637.704",
          "array.attribute": '["many","values"]',
          "map.attribute": '{"some.map.key":"some value"}',
        },
        sourceTs: 1544712660300000,
      },
    ]);
  });

  test("JSON integers as numbers or strings, times as either, later attributes win, huge ints stay exact", async () => {
    await using h = await harness();
    const req = (v: unknown, t: unknown) => ({
      resourceLogs: [{ resource: { attributes: [{ key: "k", value: { stringValue: "resource" } }] }, scopeLogs: [{ scope: { attributes: [{ key: "k", value: { stringValue: "scope" } }] }, logRecords: [{ observedTimeUnixNano: t, body: { intValue: v }, attributes: [{ key: "n", value: { intValue: v } }] }] }] }],
    });
    for (const [v, t] of [[42, 1700000000123456789], ["42", "1700000000123456789"], ["-9223372036854775808", "1700000000123456000"]] as const) {
      expect((await post(h, JSON.stringify(req(v, t)), { "content-type": "application/json" })).status).toBe(200);
    }
    expect(simplify(h.records()).map((r) => [r.raw, r.attrs.n, r.attrs.k, r.sourceTs])).toEqual([
      ["42", "42", "scope", 1700000000123456],
      ["42", "42", "scope", 1700000000123456],
      ['"-9223372036854775808"', "-9223372036854775808", "scope", 1700000000123456],
    ]);
  });
});

describe("partial success and refusals", () => {
  test("JSON: records with a bad field are rejected alone; the answer says how many and why (parsed by otlp-transformer)", async () => {
    await using h = await harness();
    const logs = [{ body: { stringValue: "good 1" } }, { body: { stringValue: "bad" }, traceId: "xyz" }, { body: { stringValue: "good 2" } }, { timeUnixNano: "soon" }];
    const r = await post(h, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: logs }] }] }), { "content-type": "application/json" });
    const answer = JsonLogsSerializer.deserializeResponse(new Uint8Array(await r.arrayBuffer()));
    expect({ status: r.status, answer, stored: simplify(h.records()).map((x) => x.raw), dropped: h.receiver.stats().dropped }).toEqual({
      status: 200,
      answer: { partialSuccess: { rejectedLogRecords: "2", errorMessage: '2 log record(s) rejected: resourceLogs[0].scopeLogs[0].logRecords[1].traceId must be 32 hex digits, got "xyz"' } } as never,
      stored: ["good 1", "good 2"],
      dropped: { decode_failed: 2 },
    });
  });

  test("protobuf: a record with a 3-byte trace id is rejected alone; the answer parses with otlp-transformer", async () => {
    await using h = await harness();
    const log = (body: string, traceId?: Uint8Array) => {
      const w = new ProtoWriter().bytesField(5, new ProtoWriter().stringField(1, body).finish());
      return (traceId ? w.bytesField(9, traceId) : w).finish();
    };
    const scope = new ProtoWriter().bytesField(2, log("one")).bytesField(2, log("two", Uint8Array.of(1, 2, 3))).bytesField(2, log("three")).finish();
    const req = new ProtoWriter().bytesField(1, new ProtoWriter().bytesField(2, scope).finish()).finish();
    const r = await post(h, req, { "content-type": "application/x-protobuf" });
    const answer = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(await r.arrayBuffer()));
    expect({ status: r.status, answer, stored: simplify(h.records()).map((x) => x.raw) }).toEqual({
      status: 200,
      answer: { partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringContaining("trace_id must be 16 bytes, got 3") } } as never,
      stored: ["one", "three"],
    });
  });

  test("malformed, unsupported and oversize requests: 400, 415, 413 with a google.rpc.Status body, counted; nothing stored", async () => {
    await using h = await harness({ maxBodyBytes: 2048 });
    const answers = [];
    for (const [body, headers] of [
      [Uint8Array.of(0x0a, 0x05, 1), { "content-type": "application/x-protobuf" }],
      ["{not json", { "content-type": "application/json" }],
      ['{"resourceLogs":{}}', { "content-type": "application/json" }],
      ["x", { "content-type": "text/plain" }],
      ["x", { "content-type": "application/json", "content-encoding": "br" }],
      [Uint8Array.of(1, 2, 3), { "content-type": "application/json", "content-encoding": "gzip" }],
      [new Uint8Array(4096), { "content-type": "application/x-protobuf" }],
    ] as const) {
      const r = await post(h, body, headers);
      const b = new Uint8Array(await r.arrayBuffer());
      answers.push([r.status, headers["content-type"] === "application/json" && r.status !== 415 ? JSON.parse(new TextDecoder().decode(b)).code : r.status === 415 ? "text" : status(b).code]);
    }
    expect(answers).toEqual([
      [400, 3],
      [400, 3],
      [400, 3],
      [415, "text"],
      [415, "text"],
      [400, 3],
      [413, 3],
    ]);
    expect({ stored: h.records().length, dropped: h.receiver.stats().dropped }).toEqual({ stored: 0, dropped: { decode_failed: 4, oversize: 1, unsupported: 2 } });
    expect((await post(h, "x", { "content-type": "application/json" }, "/v1/traces")).status).toBe(404);
  });

  test("a full queue: HTTP 429 with Retry-After and RetryInfo, gRPC RESOURCE_EXHAUSTED with RetryInfo", async () => {
    await using h = await harness({ maxQueuedRecords: 1 });
    const open = await fillQueue(h);
    const req = capture("otlp/otlp-http-proto.req0.body.bin");
    const r = await post(h, req, { "content-type": "application/x-protobuf" });
    const g = await grpcCall(h, req);
    open();
    expect({ http: [r.status, r.headers.get("retry-after"), status(new Uint8Array(await r.arrayBuffer()))], grpc: [g.status, g.message, status(g.details)] }).toEqual({
      http: [429, "1", { code: 8, message: "ingest queue full, retry later", retrySeconds: 1 }],
      grpc: ["8", "ingest queue full, retry later", { code: 8, message: "ingest queue full, retry later", retrySeconds: 1 }],
    });
    expect(h.receiver.stats().dropped).toEqual({ queue_full: 2 });
  });

  test("a failed append: HTTP 503 with Retry-After, gRPC UNAVAILABLE with RetryInfo; nothing acknowledged", async () => {
    await using h = await harness({ failAppends: true });
    const req = capture("otlp/otlp-http-proto.req0.body.bin");
    const r = await post(h, req, { "content-type": "application/x-protobuf" });
    const g = await grpcCall(h, req);
    expect({ http: [r.status, r.headers.get("retry-after")], grpc: [g.status, status(g.details).retrySeconds], acked: h.receiver.stats().acked }).toEqual({ http: [503, "1"], grpc: ["14", 1], acked: 0 });
  });

  test("gRPC: an unknown method is UNIMPLEMENTED, a broken frame INVALID_ARGUMENT, an unknown grpc-encoding UNIMPLEMENTED", async () => {
    await using h = await harness();
    const unknown = await grpcCall(h, new Uint8Array(), { path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export" });
    const broken = await grpcCall(h, Uint8Array.of(0x0a, 0x09, 1));
    const snappy = await grpcCall(h, Uint8Array.of(1, 2), { gzip: true, encoding: "snappy" });
    expect([unknown.status, broken.status, broken.message.startsWith("ExportLogsServiceRequest is malformed"), snappy.status, snappy.message]).toEqual(["12", "3", true, "12", 'grpc-encoding "snappy" is not supported (gzip, identity)']);
    expect(h.receiver.stats().dropped).toEqual({ decode_failed: 1, unsupported: 2 });
  });

  test("gRPC: a message over maxBodyBytes is RESOURCE_EXHAUSTED without a retry hint (retrying cannot help), counted", async () => {
    await using h = await harness({ maxBodyBytes: 2048 });
    const big = await grpcCall(h, new Uint8Array(4096));
    expect([big.status, status(big.details).retrySeconds, big.message]).toEqual(["8", 0, "message over the receiver's limit maxBodyBytes=2048; export smaller batches or raise the option"]);
    expect(h.receiver.stats().dropped).toEqual({ oversize: 1 });
  });
});
