/**
 * What the OTLP receiver answers, in the request's encoding: ExportLogsServiceResponse (empty on
 * full success, `partialSuccess` naming rejected records otherwise) and, for a refused request,
 * google.rpc.Status with a google.rpc.RetryInfo detail when the client should retry later
 * (OTLP's retry hint for RESOURCE_EXHAUSTED / UNAVAILABLE, beside HTTP's Retry-After).
 *   ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
 *   ExportLogsPartialSuccess  { int64 rejected_log_records = 1; string error_message = 2; }
 *   google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   google.protobuf.Any { string type_url = 1; bytes value = 2; }
 *   google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }  Duration { int64 seconds = 1; }
 */

import type { IExportLogsServiceResponse } from "@opentelemetry/otlp-transformer";
import { ProtoWriter } from "../../../core/bytes/protobuf.ts";

const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

/** The response object (otlp-transformer's type, which the SDK exporters parse). */
export function exportResponse(rejected: number, errorMessage: string): IExportLogsServiceResponse {
  return rejected === 0 ? {} : { partialSuccess: { rejectedLogRecords: rejected, errorMessage } };
}

/** ExportLogsServiceResponse as protobuf bytes. */
export function encodeExportResponse(r: IExportLogsServiceResponse): Uint8Array {
  const p = r.partialSuccess;
  if (!p) return new Uint8Array();
  const inner = new ProtoWriter().varintField(1, p.rejectedLogRecords ?? 0).stringField(2, p.errorMessage ?? "").finish();
  return new ProtoWriter().bytesField(1, inner).finish();
}

/** ExportLogsServiceResponse in OTLP/JSON (int64 as a string, as the JSON mapping writes it). */
export function jsonExportResponse(r: IExportLogsServiceResponse): string {
  const p = r.partialSuccess;
  return JSON.stringify(p ? { partialSuccess: { rejectedLogRecords: String(p.rejectedLogRecords ?? 0), errorMessage: p.errorMessage ?? "" } } : {});
}

/** A refusal: gRPC status code, message, and seconds to wait before retrying (0: no hint). */
export interface Refusal {
  grpcCode: number;
  message: string;
  retryAfterSeconds: number;
}

/** google.rpc.Status as protobuf bytes (the gRPC `grpc-status-details-bin` trailer, HTTP bodies). */
export function encodeStatus(r: Refusal): Uint8Array {
  const w = new ProtoWriter().varintField(1, r.grpcCode).stringField(2, r.message);
  if (r.retryAfterSeconds > 0) {
    const retryInfo = new ProtoWriter().bytesField(1, new ProtoWriter().varintField(1, r.retryAfterSeconds).finish()).finish();
    w.bytesField(3, new ProtoWriter().stringField(1, RETRY_INFO_TYPE).bytesField(2, retryInfo).finish());
  }
  return w.finish();
}

/** google.rpc.Status in JSON (OTLP/HTTP JSON error bodies). */
export function jsonStatus(r: Refusal): string {
  const details = r.retryAfterSeconds > 0 ? [{ "@type": RETRY_INFO_TYPE, retryDelay: `${r.retryAfterSeconds}s` }] : [];
  return JSON.stringify({ code: r.grpcCode, message: r.message, details });
}
