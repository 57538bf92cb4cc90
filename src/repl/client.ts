/**
 * The REPL's only door to the engine: typed Connect clients over an injected Transport (a
 * socket/HTTP transport in client mode, the in-process transport in embedded mode). Never
 * imports storage, the engine or the transports themselves (GUIDE §3).
 */

import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { ConfigService } from "../api/gen/gastrolog/v1/config_pb.ts";
import { LifecycleService } from "../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../api/gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "../api/gen/gastrolog/v1/store_pb.ts";

/** The services the REPL uses. */
export interface ReplClient {
  query: Client<typeof QueryService>;
  store: Client<typeof StoreService>;
  lifecycle: Client<typeof LifecycleService>;
  config: Client<typeof ConfigService>;
}

/** Clients of every REPL service over one transport. */
export function replClient(transport: Transport): ReplClient {
  return {
    query: createClient(QueryService, transport),
    store: createClient(StoreService, transport),
    lifecycle: createClient(LifecycleService, transport),
    config: createClient(ConfigService, transport),
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
