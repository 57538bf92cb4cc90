/**
 * The Connect router options every way of serving the API shares (the server's listeners and
 * the in-process transports): the message size limit, strict JSON (unknown fields are an
 * error, not silently ignored), the error interceptor and the decode probe gate.
 */

import type { ConnectRouterOptions } from "@connectrpc/connect";
import { decodeProbeGate } from "./decode-errors.ts";
import { errorInterceptor } from "./errors.ts";
import { READ_MAX_BYTES } from "./limits.ts";

/** Router options shared by the server and the in-process transports. */
export function routerOptions(shutdownSignal?: AbortSignal): Partial<ConnectRouterOptions> {
  return {
    interceptors: [errorInterceptor],
    requestGate: decodeProbeGate,
    jsonOptions: { ignoreUnknownFields: false },
    readMaxBytes: READ_MAX_BYTES,
    shutdownSignal,
  };
}
