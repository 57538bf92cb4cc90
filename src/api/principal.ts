/**
 * The caller of a request as the services see it, without loading Connect: principalKey (the
 * auth interceptor sets it; its default, a superuser, is the in-process caller) and CallContext,
 * the part of a Connect HandlerContext the query code reads, so `gastrolog query` can run the
 * same code in this process with no router (services/query-core.ts).
 */

import type { ContextKey, ContextValues, HandlerContext } from "@connectrpc/connect";
import { superuser, type Principal } from "../security/access.ts";

/** Context key of the caller, shaped as Connect's createContextKey makes one. */
export const principalKey: ContextKey<Principal> = { id: Symbol("gastrolog principal"), defaultValue: superuser("in-process") };

/** What the query services read of a request's context: its values (the caller) and its signal. */
export type CallContext = Pick<HandlerContext, "values" | "signal">;

/** A call made in this process with no router: the in-process caller (a superuser), `signal` to stop it. */
export function inProcessCall(signal: AbortSignal): CallContext {
  const set: Record<symbol, unknown> = {};
  const values: ContextValues = {
    get: <T>(key: ContextKey<T>) => (key.id in set ? (set[key.id] as T) : key.defaultValue),
    set(key, value) {
      set[key.id] = value;
      return values;
    },
    delete(key) {
      delete set[key.id];
      return values;
    },
  };
  return { values, signal };
}
