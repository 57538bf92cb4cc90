/**
 * The REPL's only door to the engine: typed Connect clients over an injected Transport (a
 * socket/HTTP transport in client mode, the in-process transport in embedded mode). Never
 * imports storage, the engine or the transports themselves (GUIDE §3).
 */

import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import type { ConfigService } from "../api/gen/gastrolog/v1/config_pb.ts";
import type { LifecycleService } from "../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../api/gen/gastrolog/v1/query_pb.ts";
import type { StoreService } from "../api/gen/gastrolog/v1/store_pb.ts";

/** The services the REPL uses. */
export interface ReplClient {
  query: Client<typeof QueryService>;
  store: Client<typeof StoreService>;
  lifecycle: Client<typeof LifecycleService>;
  config: Client<typeof ConfigService>;
}

/**
 * A client of a service whose methods are all unary, its generated module (and protobuf
 * descriptors) loaded on the first call: a REPL script pays only for the services it uses.
 * Each property is a method that loads the service, then calls it.
 */
function lazyUnaryClient<S extends DescService>(load: () => Promise<S>, transport: Transport): Client<S> {
  let client: Promise<Record<string, (...args: unknown[]) => Promise<unknown>>> | undefined;
  return new Proxy({} as Client<S>, {
    get(_, name) {
      // Not a thenable: awaiting the client itself must not call a method named "then".
      if (typeof name !== "string" || name === "then") return undefined;
      return async (...args: unknown[]) => {
        client ??= load().then((svc) => createClient(svc, transport) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>);
        const method = (await client)[name];
        if (method === undefined) throw new TypeError(`no method ${name}`);
        return method(...args);
      };
    },
  });
}

/** Clients of every REPL service over one transport (QueryService loaded now, the others on first use). */
export function replClient(transport: Transport): ReplClient {
  return {
    query: createClient(QueryService, transport),
    store: lazyUnaryClient(async () => (await import("../api/gen/gastrolog/v1/store_pb.ts")).StoreService, transport),
    lifecycle: lazyUnaryClient(async () => (await import("../api/gen/gastrolog/v1/lifecycle_pb.ts")).LifecycleService, transport),
    config: lazyUnaryClient(async () => (await import("../api/gen/gastrolog/v1/config_pb.ts")).ConfigService, transport),
  };
}

/**
 * The message of an RPC failure without Connect's `[code]` prefix; refusals by the server's
 * authorization say so first ("not permitted: ...", "not authenticated: ...").
 */
export function rpcMessage(err: unknown): string {
  if (err instanceof ConnectError) {
    if (err.code === Code.PermissionDenied) return `not permitted: ${err.rawMessage}`;
    if (err.code === Code.Unauthenticated) return `not authenticated: ${err.rawMessage}`;
    return err.rawMessage;
  }
  return err instanceof Error ? err.message : String(err);
}

/** True when `err` is the cancellation of a call we aborted ourselves. */
export function isCancel(err: unknown): boolean {
  if (err instanceof ConnectError) return err.code === Code.Canceled;
  return err instanceof Error && err.name === "AbortError";
}

/** The Connect code of `err`, if it is an RPC failure. */
export function rpcCode(err: unknown): Code | undefined {
  return err instanceof ConnectError ? err.code : undefined;
}
