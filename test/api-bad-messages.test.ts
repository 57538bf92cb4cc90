/**
 * Request messages the server cannot decode, against the compiled `gastrolog serve`: garbage
 * protobuf bodies answer INVALID_ARGUMENT (not INTERNAL) over Connect, gRPC (h2c) and gRPC-Web,
 * for unary and server-streaming methods; JSON with unknown fields is refused instead of
 * silently ignored; the server stays healthy. Requests are hand-built (no client would send
 * these bytes), so each protocol's own error encoding is checked.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import http2 from "node:http2";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

let srv: ServeProc;
let cleanup: () => void;

beforeAll(async () => {
  const d = serverDir();
  cleanup = d.cleanup;
  srv = await startServe(d.dir);
});

afterAll(async () => {
  srv.proc.kill("SIGTERM");
  expect(await srv.exited).toBe(0);
  cleanup();
});

/** A gRPC length-prefixed message. */
function envelope(body: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, body.length);
  out.set(body, 5);
  return out;
}

/** The flags and payload of each length-prefixed message in a response body. */
function frames(bytes: Uint8Array): { flags: number; payload: string }[] {
  const out: { flags: number; payload: string }[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 5 <= bytes.length; ) {
    const len = view.getUint32(i + 1);
    out.push({ flags: bytes[i]!, payload: new TextDecoder().decode(bytes.subarray(i + 5, i + 5 + len)) });
    i += 5 + len;
  }
  return out;
}

interface Outcome {
  status: string;
  message: string;
}

/** Connect unary (or streaming with an envelope): the error's code and message. */
async function connectCall(path: string, contentType: string, body: Uint8Array | string): Promise<Outcome & { http: number }> {
  const r = await fetch(`http://${srv.http}${path}`, { method: "POST", headers: { "content-type": contentType, "connect-protocol-version": "1" }, body });
  const bytes = new Uint8Array(await r.arrayBuffer());
  // Streaming responses end with an end-of-stream message (flag 2) holding {"error": ...}.
  const json = contentType.startsWith("application/connect+") ? (frames(bytes).find((f) => f.flags & 2)?.payload ?? "") : new TextDecoder().decode(bytes);
  const parsed = JSON.parse(json) as { code?: string; message?: string; error?: { code: string; message: string } };
  const e = parsed.error ?? parsed;
  return { http: r.status, status: e.code ?? "", message: e.message ?? "" };
}

/** gRPC over h2c: grpc-status and grpc-message from the trailers (or headers, trailers-only). */
function grpcCall(path: string, body: Uint8Array): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`http://${srv.http}`);
    client.on("error", reject);
    const req = client.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    let status = "";
    let message = "";
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) message = decodeURIComponent(String(h["grpc-message"]));
    };
    req.on("response", take);
    req.on("trailers", take);
    req.on("data", () => {});
    req.on("end", () => {
      client.close();
      resolve({ status, message });
    });
    req.on("error", reject);
    req.end(envelope(body));
  });
}

/** gRPC-Web over HTTP/1.1: the status from the trailer frame at the end of the body. */
async function grpcWebCall(path: string, body: Uint8Array): Promise<Outcome> {
  const r = await fetch(`http://${srv.http}${path}`, { method: "POST", headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" }, body: envelope(body) });
  const trailer = frames(new Uint8Array(await r.arrayBuffer())).find((f) => f.flags & 0x80)?.payload ?? "";
  const fields = Object.fromEntries(trailer.split("\r\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  const status = fields["grpc-status"] ?? r.headers.get("grpc-status") ?? "";
  const message = fields["grpc-message"] ?? r.headers.get("grpc-message") ?? "";
  return { status, message: decodeURIComponent(message) };
}

/** Bytes that are not a valid message of any of the request types. */
const GARBAGE: [string, Uint8Array][] = [
  ["end-group tag (wire type 4)", Uint8Array.of(0x0c)],
  ["length past the end", Uint8Array.of(0x0a, 0xff, 0xff, 0xff)],
  ["varint never ends", Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
];
const UNARY = ["/gastrolog.v1.IngestService/Append", "/gastrolog.v1.QueryService/Explain"];
const STREAMING = "/gastrolog.v1.QueryService/Search";

describe("undecodable protobuf requests are INVALID_ARGUMENT", () => {
  test("Connect unary (application/proto): HTTP 400 invalid_argument with the decoder's reason", async () => {
    const got = [];
    for (const path of UNARY) for (const [name, body] of GARBAGE) got.push({ path, name, ...(await connectCall(path, "application/proto", body)) });
    expect(got.map((g) => ({ ...g, message: g.message.startsWith("cannot decode the request: parse binary: ") }))).toEqual(
      UNARY.flatMap((path) => GARBAGE.map(([name]) => ({ path, name, http: 400, status: "invalid_argument", message: true }))),
    );
  });

  test("Connect server-streaming (application/connect+proto)", async () => {
    const got = [];
    for (const [name, body] of GARBAGE) got.push({ name, ...(await connectCall(STREAMING, "application/connect+proto", envelope(body))) });
    expect(got.map((g) => ({ ...g, message: g.message.includes("parse binary: ") }))).toEqual(GARBAGE.map(([name]) => ({ name, http: 200, status: "invalid_argument", message: true })));
  });

  test("gRPC over h2c and gRPC-Web, unary and server-streaming: status 3", async () => {
    const got = [];
    for (const path of [...UNARY, STREAMING]) {
      for (const [name, body] of GARBAGE) {
        for (const [proto, call] of [["grpc", grpcCall], ["grpc-web", grpcWebCall]] as const) {
          const o = await call(path, body);
          got.push({ path, name, proto, status: o.status, reason: o.message.includes("parse binary: ") });
        }
      }
    }
    expect(got).toEqual([...UNARY, STREAMING].flatMap((path) => GARBAGE.flatMap(([name]) => (["grpc", "grpc-web"] as const).map((proto) => ({ path, name, proto, status: "3", reason: true })))));
  });
});

describe("JSON requests with unknown fields are refused", () => {
  test("a misplaced field is named instead of being ignored", async () => {
    const explain = await connectCall("/gastrolog.v1.QueryService/Explain", "application/json", JSON.stringify({ store: "x", query: { text: "error" } }));
    const search = await connectCall(STREAMING, "application/connect+json", envelope(new TextEncoder().encode(JSON.stringify({ query: { text: "error", stor: "x" } }))));
    expect([explain, search].map((o) => ({ ...o, names: /key "(store|stor)" is unknown/.test(o.message) }))).toEqual([
      { http: 400, status: "invalid_argument", message: explain.message, names: true },
      { http: 200, status: "invalid_argument", message: search.message, names: true },
    ]);
  });

  test("the server stays healthy and valid JSON still works", async () => {
    const ok = await fetch(`http://${srv.http}/gastrolog.v1.QueryService/Explain`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: { text: "error" } }) });
    expect([ok.status, (await fetch(`http://${srv.http}/readyz`)).status]).toEqual([200, 200]);
  });
});
