/**
 * What the engine searches: a named store plus a way to open a sealed chunk's indexes. The
 * composition root supplies the index opener (with whatever caching it wants), so the engine
 * never cares how index sections are decoded.
 */

import type { ChunkIndexes } from "../../index/types.ts";
import type { ChunkMeta, ChunkReader, ChunkStore } from "../../storage/types.ts";

export interface SearchSource {
  readonly name: string;
  readonly store: ChunkStore;
  /** Index sections of a sealed chunk, or undefined when it has none usable. */
  indexes(reader: ChunkReader, meta: ChunkMeta): ChunkIndexes | undefined;
}

/** The store's chunks in iteration order: oldest first, or newest first when reversed. */
export function orderedChunks(src: SearchSource, reverse: boolean): ChunkMeta[] {
  const chunks = src.store.chunks().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return reverse ? chunks.reverse() : chunks;
}
