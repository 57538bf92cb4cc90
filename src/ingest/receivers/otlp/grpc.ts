/**
 * OTLP/gRPC: `opentelemetry.proto.collector.logs.v1.LogsService/Export` on node:http2 (Bun
 * implements it; Bun.serve does not speak gRPC), cleartext h2c or TLS under the shared
 * client-certificate policy. Unary call: one length-prefixed message (flag, u32 BE length),
 * gzip when flagged and `grpc-encoding: gzip`. Answers ExportLogsServiceResponse with
 * grpc-status 0 once durable; refusals are trailers-only with grpc-status, grpc-message and
 * `grpc-status-details-bin` (google.rpc.Status, with RetryInfo for RESOURCE_EXHAUSTED and
 * UNAVAILABLE so the SDK exporters retry).
 */

import http2, { type Http2Server, type Http2SecureServer, type ServerHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import type net from "node:net";
import { errorMessage } from "../../../core/errors.ts";
import { guardNodeTls, type Rejection } from "../../../security/tls.ts";
import type { LimitedBody } from "../http/body.ts";
import type { ReceiverTlsConfig } from "../receiver.ts";
import { loadTls } from "../tls.ts";
import { exportLogs, gunzipBody, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, GRPC_RESOURCE_EXHAUSTED, GRPC_UNIMPLEMENTED, queueFull, refused, type ExportContext, type ExportOutcome } from "./export.ts";
import { encodeExportResponse, encodeStatus } from "./response.ts";

export const EXPORT_PATH = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
const FRAME_HEADER = 5;
/**
 * HTTP/2 flow-control windows: an SDK export of 2048 records is ~250 KB, and with HTTP/2's
 * default 64 KiB windows the exporter stalls for WINDOW_UPDATEs several times per call (the
 * body took ~1.5 ms to arrive instead of ~0.5 ms). The body is read whole anyway (up to
 * maxBodyBytes), so larger windows only let it arrive at once.
 */
const STREAM_WINDOW_BYTES = 4 << 20;
const SESSION_WINDOW_BYTES = 16 << 20;

export interface GrpcListenOptions {
  hostname: string;
  port: number;
  /** TLS settings for grpcs://; absent for h2c. */
  tls: ReceiverTlsConfig | undefined;
  ctx: ExportContext;
  /** Largest gRPC message (compressed, on the wire). */
  maxMessageBytes: number;
  base(remote: string): Record<string, string>;
  onTlsReject(r: Rejection): void;
  onError(err: unknown): void;
}

export interface GrpcListener {
  readonly port: number;
  close(): void;
}

/** Binds the gRPC listener; rejects when the bind fails. */
export function listenGrpc(o: GrpcListenOptions): Promise<GrpcListener> {
  let server: Http2Server | Http2SecureServer;
  if (o.tls) {
    const m = loadTls(o.tls, true);
    server = http2.createSecureServer({ cert: m.cert, key: m.key, ca: m.ca, requestCert: m.requestCert, rejectUnauthorized: m.rejectUnauthorized, ALPNProtocols: ["h2"], settings: { initialWindowSize: STREAM_WINDOW_BYTES } });
    const judge = guardNodeTls(server, o.tls.clientAuth ?? "none", o.onTlsReject);
    server.on("secureConnection", (sock) => void judge(sock));
  } else {
    server = http2.createServer({ settings: { initialWindowSize: STREAM_WINDOW_BYTES } });
  }
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.setLocalWindowSize(SESSION_WINDOW_BYTES);
    s.on("close", () => sessions.delete(s));
    s.on("error", () => {});
  });
  server.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    call(o, stream, headers).catch((err: unknown) => {
      o.onError(err);
      trailersOnly(stream, { ok: false, httpStatus: 500, refusal: { grpcCode: GRPC_INTERNAL, message: `internal error: ${errorMessage(err)}`, retryAfterSeconds: 0 } });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.hostname, () => {
      server.off("error", reject);
      server.on("error", (err) => o.onError(err));
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          server.close();
          for (const s of sessions) s.destroy();
        },
      });
    });
  });
}

async function call(o: GrpcListenOptions, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
  stream.on("error", () => {});
  const remote = stream.session?.socket?.remoteAddress ?? "";
  const where = `gRPC Export from ${remote}`;
  const ctx = o.ctx;
  if (headers[":path"] !== EXPORT_PATH || headers[":method"] !== "POST") {
    stream.resume();
    return trailersOnly(stream, refused(ctx, "unsupported", 0, where, `unknown method ${String(headers[":path"])} (this port serves ${EXPORT_PATH.slice(1)})`, GRPC_UNIMPLEMENTED, 200));
  }
  if (ctx.pipeline.full) {
    stream.resume();
    return trailersOnly(stream, queueFull(ctx, 0, where));
  }
  const read = await readMessage(stream, o.maxMessageBytes + FRAME_HEADER);
  if (!read.ok) {
    ctx.counters.bytes += read.seen;
    return trailersOnly(stream, refused(ctx, "oversize", read.seen, where, `message over the receiver's limit maxBodyBytes=${o.maxMessageBytes}; export smaller batches or raise the option`, GRPC_RESOURCE_EXHAUSTED, 200));
  }
  const body = read.bytes;
  ctx.counters.bytes += body.length;
  const frame = parseFrame(body);
  if (typeof frame === "string") return trailersOnly(stream, refused(ctx, "decode_failed", body.length, where, frame, GRPC_INVALID_ARGUMENT, 200));
  let message = frame.message;
  if (frame.compressed) {
    const encoding = String(headers["grpc-encoding"] ?? "identity");
    if (encoding !== "gzip") return trailersOnly(stream, refused(ctx, "unsupported", body.length, where, `grpc-encoding ${JSON.stringify(encoding)} is not supported (gzip, identity)`, GRPC_UNIMPLEMENTED, 200));
    try {
      message = gunzipBody(ctx, message);
    } catch (err) {
      return trailersOnly(stream, refused(ctx, "decode_failed", body.length, where, `gzip message does not inflate within maxDecodedBytes=${ctx.maxDecodedBytes}: ${errorMessage(err)}`, GRPC_INVALID_ARGUMENT, 200));
    }
  }
  const outcome = await exportLogs(ctx, message, "proto", body.length, o.base(remote), where);
  if (!outcome.ok) return trailersOnly(stream, outcome);
  if (stream.destroyed) return;
  const reply = encodeExportResponse(outcome.response);
  const framed = new Uint8Array(FRAME_HEADER + reply.length);
  new DataView(framed.buffer).setUint32(1, reply.length);
  framed.set(reply, FRAME_HEADER);
  stream.respond({ ":status": 200, "content-type": "application/grpc+proto", "grpc-accept-encoding": "identity,gzip" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  stream.end(framed);
}

/** Reads the request body; past `max` bytes it only counts (and drains) the rest. */
function readMessage(stream: ServerHttp2Stream, max: number): Promise<LimitedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    stream.on("data", (c: Buffer) => {
      n += c.length;
      if (n <= max) chunks.push(c);
    });
    const done = () => resolve(n > max ? { ok: false, seen: n } : { ok: true, bytes: Buffer.concat(chunks, n) });
    stream.on("end", done);
    stream.on("close", done);
  });
}

/** The one message of a unary call, or why the body is not one. */
function parseFrame(b: Uint8Array): { compressed: boolean; message: Uint8Array } | string {
  if (b.length < FRAME_HEADER) return `request body of ${b.length} bytes is not a gRPC message (needs a 5-byte prefix)`;
  const flag = b[0]!;
  const len = new DataView(b.buffer, b.byteOffset, b.length).getUint32(1);
  if (flag > 1) return `gRPC message flag ${flag} is not 0 or 1`;
  if (FRAME_HEADER + len !== b.length) return `gRPC message length ${len} does not match the ${b.length - FRAME_HEADER} bytes sent (one message per Export call)`;
  return { compressed: flag === 1, message: b.subarray(FRAME_HEADER) };
}

function trailersOnly(stream: ServerHttp2Stream, o: ExportOutcome): void {
  if (o.ok || stream.destroyed || stream.headersSent) {
    if (!stream.destroyed && !stream.closed) stream.close();
    return;
  }
  const r = o.refusal;
  stream.respond(
    {
      ":status": 200,
      "content-type": "application/grpc+proto",
      "grpc-status": String(r.grpcCode),
      "grpc-message": grpcMessage(r.message),
      "grpc-status-details-bin": Buffer.from(encodeStatus(r)).toString("base64").replace(/=+$/, ""),
    },
    { endStream: true },
  );
}

/** grpc-message is percent-encoded, but only bytes outside printable ASCII and '%' (gRPC HTTP/2 spec). */
function grpcMessage(m: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(m)) out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}
