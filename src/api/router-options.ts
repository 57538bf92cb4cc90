/**
 * The Connect router options every way of serving the API shares (the server's listeners and
 * the in-process transports): the message size limit, strict JSON (unknown fields are an
 * error, not silently ignored), the error interceptor and the decode probe gate. `outer`
 * interceptors (the server's authentication and query metrics) run before the error mapping,
 * so they see every failure as a ConnectError with its final code.
 */

import type { ConnectRouterOptions, Interceptor } from "@connectrpc/connect";
import { decodeProbeGate } from "./decode-errors.ts";
import { errorInterceptor } from "./errors.ts";
import { READ_MAX_BYTES } from "./limits.ts";

/** Router options shared by the server and the in-process transports. */
export function routerOptions(shutdownSignal?: AbortSignal, outer: readonly Interceptor[] = []): Partial<ConnectRouterOptions> {
  return {
    interceptors: [...outer, errorInterceptor],
    requestGate: decodeProbeGate,
    jsonOptions: { ignoreUnknownFields: false },
    readMaxBytes: READ_MAX_BYTES,
    shutdownSignal,
  };
}

/**
 * Router options of the in-process transports: as routerOptions(), serving only the Connect
 * protocol their client speaks, so no gRPC or gRPC-Web handler is built for every method of
 * every service at each embedded start.
 */
export function inProcessRouterOptions(): Partial<ConnectRouterOptions> {
  return { ...routerOptions(), grpc: false, grpcWeb: false };
}
