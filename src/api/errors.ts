/**
 * The ONE mapping from GastroLog error codes (core/errors.ts) to Connect codes, and the router
 * interceptor that applies it to every RPC (unary and streaming), so services just throw
 * LogError (or a ConnectError of their own, passed through: ConfigService adds details).
 * Unexpected exceptions become INTERNAL with the message kept for the operator; requests the
 * server cannot decode are INVALID_ARGUMENT (decode-errors.ts).
 */

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { errorMessage, LogError, type ErrorCode } from "../core/errors.ts";
import { mapInputErrors, markInvoked } from "./decode-errors.ts";

const CODES: Record<ErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  corrupt: Code.DataLoss,
  limit: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  locked: Code.FailedPrecondition,
  cancelled: Code.Canceled,
  deadline_exceeded: Code.DeadlineExceeded,
  internal: Code.Internal,
};

/** Maps any thrown value to a ConnectError with a code a client can act on. */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof LogError) return new ConnectError(err.message, CODES[err.code], undefined, undefined, err);
  if (err instanceof Error && err.name === "AbortError") return new ConnectError("request cancelled", Code.Canceled, undefined, undefined, err);
  return new ConnectError(`internal error: ${errorMessage(err)}`, Code.Internal, undefined, undefined, err);
}

async function* mapStreamErrors<T>(it: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* it;
  } catch (err) {
    throw toConnectError(err);
  }
}

/**
 * Router interceptor applying toConnectError to thrown errors and failing response streams;
 * a streaming request's input that fails to decode is INVALID_ARGUMENT.
 */
export const errorInterceptor: Interceptor = (next) => async (req) => {
  markInvoked(req.contextValues);
  try {
    const res = await next(req.stream ? { ...req, message: mapInputErrors(req.message) } : req);
    return res.stream ? { ...res, message: mapStreamErrors(res.message) } : res;
  } catch (err) {
    throw toConnectError(err);
  }
};
