/**
 * Request messages the server cannot decode are the client's mistake: INVALID_ARGUMENT, not
 * the INTERNAL connect-es gives a failed binary parse ("parse binary: cant skip wire type 4").
 * connect-es parses a unary request before any interceptor runs, so each unary handler is
 * wrapped: a probe in the request's context values learns (through the request gate) the
 * call's HandlerContext and (through the error interceptor) whether the implementation was
 * reached. A call that failed with INTERNAL before that failed on its own input; it is run
 * once more with a gate that throws the same message as INVALID_ARGUMENT before any body is
 * read, so connect-es writes the error in the caller's protocol (Connect, gRPC, gRPC-Web).
 * Streaming requests are parsed inside the interceptor chain: their input is wrapped instead.
 */

import { Code, ConnectError, createContextKey, createContextValues, type HandlerContext } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";

interface Probe {
  context?: HandlerContext;
  invoked: boolean;
  reject?: ConnectError;
}

const probeKey = createContextKey<Probe | undefined>(undefined, { description: "gastrolog decode probe" });

/** Router request gate: records the call's context, or rejects the replayed call. */
export function decodeProbeGate(context: HandlerContext): void {
  const probe = context.values.get(probeKey);
  if (!probe) return;
  if (probe.reject) throw probe.reject;
  probe.context = context;
}

/** Called by the error interceptor: the request was decoded and the implementation reached. */
export function markInvoked(values: HandlerContext["values"]): void {
  const probe = values.get(probeKey);
  if (probe) probe.invoked = true;
}

/** An INTERNAL error raised while decoding client input, as INVALID_ARGUMENT. */
export function asInputError(err: unknown): unknown {
  if (!(err instanceof ConnectError) || err.code !== Code.Internal) return err;
  return new ConnectError(`cannot decode the request: ${err.rawMessage}`, Code.InvalidArgument, undefined, undefined, err);
}

/** A request stream whose decode failures surface as INVALID_ARGUMENT. */
export async function* mapInputErrors<T>(input: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* input;
  } catch (err) {
    throw asInputError(err);
  }
}

const noBody: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {},
};

/** Replaces every unary handler of `handlers` (a router's, before it is served) by its wrapper. */
export function wrapUnaryHandlers(handlers: UniversalHandler[]): void {
  for (let i = 0; i < handlers.length; i++) {
    const h = handlers[i]!;
    if (h.method.methodKind === "unary") handlers[i] = Object.assign(unaryWrapper(h), pickHandlerInfo(h));
  }
}

function unaryWrapper(h: UniversalHandler) {
  return async (req: UniversalServerRequest) => {
    const values = req.contextValues ?? createContextValues();
    const probe: Probe = { invoked: false };
    values.set(probeKey, probe);
    const res = await h({ ...req, contextValues: values });
    const reason: unknown = probe.context?.signal.reason;
    if (probe.invoked || !(reason instanceof ConnectError) || reason.code !== Code.Internal) return res;
    probe.reject = asInputError(reason) as ConnectError;
    return h({ ...req, body: noBody, contextValues: values });
  };
}

function pickHandlerInfo(h: UniversalHandler) {
  return {
    protocolNames: h.protocolNames,
    service: h.service,
    method: h.method,
    requestPath: h.requestPath,
    allowedMethods: h.allowedMethods,
    supportedContentType: h.supportedContentType,
  };
}
