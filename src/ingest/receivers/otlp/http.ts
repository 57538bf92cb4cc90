/**
 * OTLP/HTTP: `POST /v1/logs` with an ExportLogsServiceRequest as protobuf
 * (`application/x-protobuf`) or JSON (`application/json`), optionally gzip
 * (`Content-Encoding: gzip`). The answer uses the request's encoding: 200 with
 * ExportLogsServiceResponse once the records are durable; 400 (malformed), 413 (over
 * maxBodyBytes), 415 (other content type or encoding), 429 (queue full) and 503 (append failed)
 * with a google.rpc.Status body, the last two with Retry-After. A fetch-style handler, served by
 * Bun.serve (http://) or the shared HTTPS listener (https://).
 */

import { readLimitedBody } from "../http/body.ts";
import { exportLogs, gunzipBody, GRPC_INVALID_ARGUMENT, GRPC_UNIMPLEMENTED, queueFull, refused, type ExportContext, type ExportOutcome } from "./export.ts";
import { encodeExportResponse, encodeStatus, jsonExportResponse, jsonStatus } from "./response.ts";

export const OTLP_LOGS_PATH = "/v1/logs";

/** Handles one request; `base` attrs (receiver, remote_ip) go on every record. */
export async function handleOtlpHttp(ctx: ExportContext, maxBodyBytes: number, req: Request, base: Readonly<Record<string, string>>): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (path !== OTLP_LOGS_PATH) return new Response(`no such endpoint: ${path} (OTLP logs are POST ${OTLP_LOGS_PATH})\n`, { status: 404 });
  if (req.method !== "POST") return new Response("use POST\n", { status: 405, headers: { allow: "POST" } });
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const json = type === "application/json";
  const where = `POST ${OTLP_LOGS_PATH} from ${base.remote_ip}`;
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (!json && type !== "application/x-protobuf") {
    return reply(refused(ctx, "unsupported", declared, where, `Content-Type ${JSON.stringify(type)} is not application/x-protobuf or application/json`, GRPC_UNIMPLEMENTED, 415), false);
  }
  if (ctx.pipeline.full) return reply(queueFull(ctx, declared, where), json);
  const read = await readLimitedBody(req, maxBodyBytes);
  if (!read.ok) {
    ctx.counters.bytes += read.seen;
    return reply(refused(ctx, "oversize", read.seen, where, `request body of ${read.seen} bytes is over the receiver's limit maxBodyBytes=${maxBodyBytes}; export smaller batches or raise the option`, GRPC_INVALID_ARGUMENT, 413), json);
  }
  const wire = read.bytes;
  ctx.counters.bytes += wire.length;
  const encoding = (req.headers.get("content-encoding") ?? "identity").toLowerCase();
  let body = wire;
  if (encoding === "gzip") {
    try {
      body = gunzipBody(ctx, wire);
    } catch (err) {
      return reply(refused(ctx, "decode_failed", wire.length, where, `gzip body does not inflate within maxDecodedBytes=${ctx.maxDecodedBytes}: ${(err as Error).message}`, GRPC_INVALID_ARGUMENT, 400), json);
    }
  } else if (encoding !== "identity" && encoding !== "") {
    return reply(refused(ctx, "unsupported", wire.length, where, `Content-Encoding ${JSON.stringify(encoding)} is not supported (gzip, identity)`, GRPC_UNIMPLEMENTED, 415), json);
  }
  return reply(await exportLogs(ctx, body, json ? "json" : "proto", wire.length, base, where), json);
}

function reply(o: ExportOutcome, json: boolean): Response {
  const headers: Record<string, string> = { "content-type": json ? "application/json" : "application/x-protobuf" };
  if (o.ok) return new Response(json ? jsonExportResponse(o.response) : encodeExportResponse(o.response), { status: 200, headers });
  if (o.refusal.retryAfterSeconds > 0) headers["retry-after"] = String(o.refusal.retryAfterSeconds);
  return new Response(json ? jsonStatus(o.refusal) : encodeStatus(o.refusal), { status: o.httpStatus, headers });
}
