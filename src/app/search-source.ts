/**
 * How commands search a store: a SearchSource whose index opener keeps decoded index parts in
 * the process cache (process-cache.ts), and answers token probes of chunks without indexes
 * (text files read in place) by a byte search. Kept apart from stores.ts so that embedded mode
 * on plain files loads no file store, segment codecs or seal workers.
 */

import { openChunkIndexes, type IndexCacheScope } from "../index/open.ts";
import { byteSearchIndexes } from "../query/engine/byte-search.ts";
import type { ChunkPartials } from "../query/engine/aggregate/partials.ts";
import type { SearchSource } from "../query/engine/source.ts";
import type { ChunkMeta, ChunkSource } from "../storage/types.ts";
import { processCache } from "./process-cache.ts";

/** Where the indexes of chunk `meta` of store `name` keep their decoded parts: the process cache. */
export function indexScope(name: string, meta: ChunkMeta): IndexCacheScope {
  return { cache: processCache(), key: `idx:${name}/${meta.id}/` };
}

/**
 * A SearchSource over `store` whose index parts are cached in the process cache; `partials`:
 * the workers that aggregate its sealed chunks (file stores).
 */
export function searchSource<S extends ChunkSource>(name: string, store: S, partials?: ChunkPartials): SearchSource<S> {
  return {
    name,
    store,
    partials,
    indexes(view, meta) {
      if (meta.indexStatus === "none") return byteSearchIndexes(view);
      if (meta.indexStatus === "missing") return undefined;
      return openChunkIndexes(view, meta.indexStatus, indexScope(name, meta));
    },
  };
}
