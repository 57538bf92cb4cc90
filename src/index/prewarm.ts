/**
 * Opens the index heads of a store's newest sealed chunks ahead of the first query — what a
 * server does once after it starts, in the background — so that query reads one dictionary
 * block per chunk instead of opening every segment and head first. Bounded by a byte budget
 * (the heads stay in the process cache; a store larger than the budget warms its newest
 * chunks), yields to the event loop between chunks and waits for `whenIdle` before each (a
 * server: no request in flight), stops when aborted, never throws: a chunk it cannot read is
 * left for the query to report.
 */

import type { ChunkMeta, ChunkSource } from "../storage/types.ts";
import { sectionContext, type IndexCacheScope } from "./open.ts";
import { INDEX_TYPES } from "./registry.ts";
import type { ReadStats } from "./section-context.ts";
import { openTermSection } from "./section.ts";

export interface PrewarmResult {
  /** Chunks whose index heads were opened. */
  chunks: number;
  /** Bytes read for them. */
  bytes: number;
}

/**
 * Opens the heads of every registered index type's section of `store`'s sealed chunks, newest
 * first, until `budget` bytes were read or `signal` aborts; `scopeOf` names each chunk's cache
 * scope (the one its queries use).
 */
export async function prewarmIndexes(store: ChunkSource, scopeOf: (meta: ChunkMeta) => IndexCacheScope, budget: number, signal?: AbortSignal, whenIdle?: () => Promise<unknown>): Promise<PrewarmResult> {
  const read: ReadStats = { bytes: 0, reads: 0 };
  let chunks = 0;
  const metas = store.chunks().filter((m) => m.state === "sealed" && m.indexStatus !== "none" && m.indexStatus !== "missing");
  for (let i = metas.length - 1; i >= 0 && read.bytes < budget && !signal?.aborted; i--) {
    if (whenIdle) {
      await whenIdle();
      if (signal?.aborted) break;
    }
    const meta = metas[i]!;
    const scope = scopeOf(meta);
    try {
      const view = await store.open(meta.id);
      try {
        for (const t of INDEX_TYPES) {
          const ctx = sectionContext(view, t.section, scope, read);
          if (ctx !== undefined) await openTermSection(ctx);
        }
        chunks++;
      } finally {
        view.close();
      }
    } catch {
      // Deleted or damaged since listing: the query that needs it will say so.
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { chunks, bytes: read.bytes };
}
