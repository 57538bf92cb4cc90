/** Looks up stores by name for every service, with one actionable not-found message. */

import { LogError } from "../../core/errors.ts";
import type { SearchSource } from "../../query/engine/source.ts";
import type { ChunkMeta } from "../../storage/types.ts";
import type { EngineHost, HostStore } from "../host.ts";

export function requireStore(host: EngineHost, name: string): HostStore {
  const s = host.store(name || "default");
  if (s) return s;
  const names = host.stores().map((x) => x.name);
  throw new LogError("not_found", `unknown store '${name || "default"}'; stores: ${names.length ? names.join(", ") : "(none)"}`);
}

/** The stores a request names: one store, or all when `name` is empty. */
export function storesOf(host: EngineHost, name: string): readonly HostStore[] {
  return name ? [requireStore(host, name)] : host.stores();
}

/** Finds a chunk by ID in one store or in all of them. */
export function requireChunk(host: EngineHost, id: string, store: string): { store: HostStore; meta: ChunkMeta } {
  for (const s of storesOf(host, store)) {
    const meta = s.source.store.chunk(id);
    if (meta) return { store: s, meta };
  }
  throw new LogError("not_found", `chunk '${id}' not found${store ? ` in store '${store}'` : " in any store"}; list chunks with StoreService.ListChunks`);
}

/** The store name a query uses for "every store". */
export const ALL_STORES = "*";

/** The search sources of a query's store: all stores for "*", else the one named. */
export function querySources(host: EngineHost, name: string): SearchSource[] {
  return name === ALL_STORES ? host.stores().map((s) => s.source) : [requireStore(host, name).source];
}
