/**
 * What the engine searches: a named ChunkSource (any store's read side) plus a way to get a
 * sealed chunk's indexes. The composition root supplies the index opener (with whatever caching
 * it wants, possibly asynchronous), so the engine never cares how index sections are decoded,
 * and, for stores whose sealed chunks other threads can open, the workers that aggregate them.
 */

import type { ChunkIndexes } from "../../index/types.ts";
import type { ChunkPartials } from "./aggregate/partials.ts";
import type { ChunkMeta, ChunkSource, ChunkView, MaybePromise } from "../../storage/types.ts";

export interface SearchSource<S extends ChunkSource = ChunkSource> {
  readonly name: string;
  readonly store: S;
  /**
   * The indexes of sealed chunk `meta`, read through `view` (the engine's open view of it, kept
   * open while they are probed), or undefined when it has none usable.
   */
  indexes(view: ChunkView, meta: ChunkMeta): MaybePromise<ChunkIndexes | undefined>;
  /** Computes stats partials of its sealed chunks in worker threads (file stores); absent: in-thread only. */
  readonly partials?: ChunkPartials;
}

/** The store's chunks in iteration order: oldest first, or newest first when reversed. */
export function orderedChunks(src: SearchSource, reverse: boolean): ChunkMeta[] {
  const chunks = src.store.chunks().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return reverse ? chunks.reverse() : chunks;
}
