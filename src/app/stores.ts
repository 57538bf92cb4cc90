/**
 * Opens the stores of a data directory for commands: a file store with seals in a Bun Worker
 * (compression and index builds off the ingest thread) and a SearchSource whose index opener
 * caches decoded index sections per chunk.
 */

import { openChunkIndexes } from "../index/open.ts";
import type { ChunkIndexes } from "../index/types.ts";
import type { SearchSource } from "../query/engine/source.ts";
import { openFileStore, type FileStoreOptions } from "../storage/file/open-store.ts";
import { WorkerSealer } from "../storage/file/sealer.ts";
import { createMemoryStore, type MemoryStoreOptions } from "../storage/memory/memory-store.ts";
import type { LivePolicy } from "../storage/options.ts";
import type { ChunkStore } from "../storage/types.ts";
import { storeDir } from "./paths.ts";
import { DEFAULT_ROTATION as DEFAULT_STORE_ROTATION } from "../config/schema.ts";
import { parseSize } from "../config/units.ts";
import { sealWorkerUrl } from "./seal-worker-url.ts";
import { sectionBuilders } from "./section-builders.ts";

/** Default rotation of file stores (the config's default), so seals overlap ingest and stay small. */
export const DEFAULT_ROTATION = { maxBytes: parseSize(DEFAULT_STORE_ROTATION.file.maxBytes)! };

/** Sealed chunks whose decoded indexes are kept in memory. */
const INDEX_CACHE_CHUNKS = 64;

export interface OpenedStore {
  store: ChunkStore;
  source: SearchSource<ChunkStore>;
  /** Takes over changed policies without reopening (see LivePolicy). */
  reconfigure(p: LivePolicy): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, name: string, options: FileStoreOptions = {}): Promise<OpenedStore> {
  const sealer = new WorkerSealer(sealWorkerUrl);
  const store = await openFileStore(storeDir(dataDir, name), { name, sealer, rotation: DEFAULT_ROTATION, ...options });
  return {
    store,
    source: searchSource(name, store),
    reconfigure: (p) => store.reconfigure(p),
    async close() {
      await store.close();
      await sealer.close();
    },
  };
}

/** A memory store (nothing persisted) with indexes built inline when chunks seal. */
export function openMemoryStore(name: string, options: MemoryStoreOptions = {}): OpenedStore {
  const store = createMemoryStore(name, { sectionBuilders, ...options });
  return { store, source: searchSource(name, store), reconfigure: (p) => store.reconfigure(p), close: () => store.close() };
}

/** A SearchSource over `store` with an LRU of opened chunk indexes (read from the chunk's local reader). */
export function searchSource(name: string, store: ChunkStore): SearchSource<ChunkStore> {
  const cache = new Map<string, ChunkIndexes>();
  return {
    name,
    store,
    indexes(meta) {
      const hit = cache.get(meta.id);
      if (hit) {
        cache.delete(meta.id);
        cache.set(meta.id, hit);
        return hit;
      }
      if (meta.indexStatus === "none" || meta.indexStatus === "missing") return undefined;
      const reader = store.open(meta.id);
      let idx: ChunkIndexes;
      try {
        idx = openChunkIndexes(reader, meta.indexStatus);
      } finally {
        reader.close();
      }
      cache.set(meta.id, idx);
      if (cache.size > INDEX_CACHE_CHUNKS) cache.delete(cache.keys().next().value!);
      return idx;
    },
  };
}
