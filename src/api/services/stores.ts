/**
 * Looks up stores by name for every service, with one actionable not-found message, and only
 * among the stores the caller may use: a store outside the caller's scope is refused
 * (permission_denied) before its existence is told; listings and "*" leave it out.
 */

import { LogError } from "../../core/errors.ts";
import type { SearchSource } from "../../query/engine/source.ts";
import { may, requireAccess } from "../../security/access.ts";
import type { ScopeName } from "../../security/scopes.ts";
import type { ChunkMeta } from "../../storage/types.ts";
import type { CallContext } from "../principal.ts";
import type { EngineHost, HostStore } from "../host.ts";
import { principalOf } from "./access.ts";

const VERB: Record<ScopeName, string> = { query: "read", ingest: "write to", "config:read": "read the settings of", "config:write": "change", admin: "administer" };

/** Store `name` ("" = default) after checking `scope` on it. */
export function requireStore(host: EngineHost, ctx: CallContext, name: string, scope: ScopeName = "query"): HostStore {
  const n = name || "default";
  requireAccess(principalOf(ctx), scope, n, `${VERB[scope]} store '${n}'`);
  const s = host.store(n);
  if (s) return s;
  const names = permittedStores(host, ctx, scope).map((x) => x.name);
  throw new LogError("not_found", `unknown store '${n}'; stores: ${names.length ? names.join(", ") : "(none)"}`);
}

/** The open stores the caller holds `scope` on, by name. */
export function permittedStores(host: EngineHost, ctx: CallContext, scope: ScopeName = "query"): HostStore[] {
  const p = principalOf(ctx);
  return host.stores().filter((s) => may(p, scope, s.name));
}

/** The stores a request names: one store, or every permitted one when `name` is empty. */
export function storesOf(host: EngineHost, ctx: CallContext, name: string): readonly HostStore[] {
  return name ? [requireStore(host, ctx, name)] : permittedStores(host, ctx);
}

/** Finds a chunk by ID in one store or in every permitted one. */
export function requireChunk(host: EngineHost, ctx: CallContext, id: string, store: string): { store: HostStore; meta: ChunkMeta } {
  for (const s of storesOf(host, ctx, store)) {
    const meta = s.source.store.chunk(id);
    if (meta) return { store: s, meta };
  }
  throw new LogError("not_found", `chunk '${id}' not found${store ? ` in store '${store}'` : " in any store"}; list chunks with StoreService.ListChunks`);
}

/** The store name a query uses for "every store". */
export const ALL_STORES = "*";

/** The search sources of a query's store: every readable store for "*", else the one named. */
export function querySources(host: EngineHost, ctx: CallContext, name: string): SearchSource[] {
  return name === ALL_STORES ? permittedStores(host, ctx).map((s) => s.source) : [requireStore(host, ctx, name).source];
}
