/**
 * One OTLP Export call, whatever the transport: refuse it while the ingest queue is full
 * (RESOURCE_EXHAUSTED / 429 with a retry hint), decode the body (a broken one is
 * INVALID_ARGUMENT / 400), queue the records, and answer once they are durable — with
 * partialSuccess naming the records rejected alone, or UNAVAILABLE / 503 with a retry hint when
 * the append failed (the SDK exporters retry both), so an acknowledged export is on disk.
 */

import { gunzipSync } from "node:zlib";
import type { IExportLogsServiceResponse } from "@opentelemetry/otlp-transformer";
import { errorMessage } from "../../../core/errors.ts";
import type { ReceiverCounters } from "../../pipeline/counters.ts";
import type { IngestPipeline } from "../../pipeline/pipeline.ts";
import { decodeJsonLogs } from "./logs-json.ts";
import type { DecodedLogs } from "./logs.ts";
import { decodeProtoLogs } from "./logs-proto.ts";
import { exportResponse, type Refusal } from "./response.ts";

/** gRPC status codes used here (google.rpc.Code). */
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;
export const GRPC_UNAVAILABLE = 14;

/** Seconds a client is told to wait before retrying a refused export. */
const RETRY_AFTER_SECONDS = 1;

/** What an export call may use of its receiver. */
export interface ExportContext {
  pipeline: IngestPipeline;
  counters: ReceiverCounters;
  clock: () => number;
  /** Largest decompressed body accepted. */
  maxDecodedBytes: number;
}

export type ExportOutcome = { ok: true; response: IExportLogsServiceResponse } | { ok: false; refusal: Refusal; httpStatus: number };

/** The queue is full: the caller refuses before reading the body. */
export function queueFull(ctx: ExportContext, bytes: number, where: string): ExportOutcome {
  ctx.counters.drop("queue_full", 1, bytes, `ingest queue full, ${where} refused with a retry hint`);
  return { ok: false, httpStatus: 429, refusal: { grpcCode: GRPC_RESOURCE_EXHAUSTED, message: "ingest queue full, retry later", retryAfterSeconds: RETRY_AFTER_SECONDS } };
}

/** A request refused before decoding (unsupported encoding, oversize): counted, not retryable. */
export function refused(ctx: ExportContext, reason: "unsupported" | "oversize" | "decode_failed", bytes: number, where: string, message: string, grpcCode: number, httpStatus: number): ExportOutcome {
  ctx.counters.drop(reason, 1, bytes, `${where}: ${message}`);
  return { ok: false, httpStatus, refusal: { grpcCode, message, retryAfterSeconds: 0 } };
}

/** Inflates a gzip body within the receiver's limit (throws naming the problem). */
export function gunzipBody(ctx: ExportContext, b: Uint8Array): Uint8Array {
  return gunzipSync(b, { maxOutputLength: ctx.maxDecodedBytes });
}

/**
 * Decodes `body` (already decompressed; `wireBytes` is its size on the wire, for the drop
 * count), queues its records and resolves once they are durable.
 */
export async function exportLogs(ctx: ExportContext, body: Uint8Array, encoding: "proto" | "json", wireBytes: number, base: Readonly<Record<string, string>>, where: string): Promise<ExportOutcome> {
  const c = ctx.counters;
  let decoded: DecodedLogs;
  try {
    decoded = encoding === "proto" ? decodeProtoLogs(body, base, ctx.clock()) : decodeJsonLogs(new TextDecoder().decode(body), base, ctx.clock());
  } catch (err) {
    c.parseErrors++;
    return refused(ctx, "decode_failed", wireBytes, where, `ExportLogsServiceRequest is malformed: ${errorMessage(err)}`, GRPC_INVALID_ARGUMENT, 400);
  }
  if (decoded.rejected > 0) {
    c.parseErrors += decoded.rejected;
    c.drop("decode_failed", decoded.rejected, 0, `${where}: ${decoded.rejected} log record(s) rejected, first: ${decoded.firstError}`);
  }
  const records = decoded.records;
  let seq = ctx.pipeline.lastSeq;
  for (let i = 0; i < records.length; i++) seq = ctx.pipeline.push(records[i]!, c);
  if (records.length > 0 && !(await ctx.pipeline.whenDurable(seq))) {
    return { ok: false, httpStatus: 503, refusal: { grpcCode: GRPC_UNAVAILABLE, message: "the records could not be stored, retry later", retryAfterSeconds: RETRY_AFTER_SECONDS } };
  }
  c.acked += records.length;
  return { ok: true, response: exportResponse(decoded.rejected, decoded.rejected > 0 ? `${decoded.rejected} log record(s) rejected: ${decoded.firstError}` : "") };
}
