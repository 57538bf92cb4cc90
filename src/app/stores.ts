/**
 * Opens the stores of a data directory for commands: a file store with seals in a Bun Worker
 * (compression and index builds off the ingest thread), aggregations of its sealed chunks in
 * the process's aggregation workers (aggregate-pool.ts), and a SearchSource (search-source.ts)
 * whose index opener keeps decoded index parts in the process cache, as the stores keep their
 * decoded blocks there; hostStore() is how the API host serves one. openStoreToRead opens a
 * store for a query: read-only while another live process writes it.
 */

import { availableParallelism } from "node:os";
import type { HostStore } from "../api/host.ts";
import type { StoreRuntime } from "../config/runtime.ts";
import { LogError } from "../core/errors.ts";
import { liveLockHolder, type LockInfo } from "../storage/file/lock.ts";
import { openReadOnlyFileStore } from "../storage/file/read-only-store.ts";
import type { SearchSource } from "../query/engine/source.ts";
import { openFileStore, type FileStoreOptions } from "../storage/file/open-store.ts";
import { WorkerSealer } from "../storage/file/sealer.ts";
import type { LivePolicy } from "../storage/options.ts";
import type { ChunkStore } from "../storage/types.ts";
import { processPool } from "./aggregate-pool.ts";
import { storeDir } from "./paths.ts";
import { DEFAULT_ROTATION as DEFAULT_STORE_ROTATION } from "../config/schema.ts";
import { parseSize } from "../config/units.ts";
import { sealWorkerUrl } from "./seal-worker-url.ts";
import { processCache } from "./process-cache.ts";
import { searchSource } from "./search-source.ts";

/** Default rotation of file stores (the config's default), so seals overlap ingest and stay small. */
export const DEFAULT_ROTATION = { maxBytes: parseSize(DEFAULT_STORE_ROTATION.file.maxBytes)! };

export interface OpenedStore {
  store: ChunkStore;
  source: SearchSource<ChunkStore>;
  /** Takes over changed policies without reopening (see LivePolicy). */
  reconfigure(p: LivePolicy): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a file store. `splitSeals` seals each chunk in two workers where there are cores for
 * both (WorkerSealerOptions.split): faster, since the seal is otherwise the import's bottleneck,
 * but the second worker's index tables add ~75 MiB of peak memory, so only `gastrolog import`
 * (a batch job) asks for it; the server seals in one worker and keeps its memory flat.
 */
export async function openStore(dataDir: string, name: string, options: FileStoreOptions = {}, splitSeals = false): Promise<OpenedStore> {
  const sealer = new WorkerSealer(sealWorkerUrl, { split: splitSeals && availableParallelism() > 1 });
  const store = await openFileStore(storeDir(dataDir, name), { name, sealer, rotation: DEFAULT_ROTATION, cache: processCache(), ...options });
  return {
    store,
    source: searchSource(name, store, processPool()?.forStore((id) => store.segmentPath(id))),
    reconfigure: (p) => store.reconfigure(p),
    async close() {
      await store.close();
      await sealer.close();
    },
  };
}

/** A store opened for a query; `writer`: the live process writing it, when it was opened read-only. */
export interface ReadStore extends OpenedStore {
  writer?: LockInfo;
}

/**
 * Opens store `name` to be queried: as its writer (openStore: the lock, and the recovery of a
 * store whose writer died) when no live process holds it; else read-only as of now
 * (ReadOnlyFileStore), writing nothing in its directory — the lock is only read, so not even
 * the lock's temp file is created, unless the lock is taken between the look and the open.
 */
export async function openStoreToRead(dataDir: string, name: string): Promise<ReadStore> {
  const dir = storeDir(dataDir, name);
  let writer = liveLockHolder(dir);
  if (!writer) {
    try {
      return await openStore(dataDir, name);
    } catch (err) {
      writer = err instanceof LogError && err.code === "locked" ? liveLockHolder(dir) : undefined;
      if (!writer) throw err;
    }
  }
  const store = openReadOnlyFileStore(dir, { name, writer, cache: processCache() });
  return {
    store,
    writer,
    source: searchSource(name, store, processPool()?.forStore((id) => store.segmentPath(id))),
    reconfigure: () => store.reconfigure(),
    close: () => store.close(),
  };
}

/** An open store as the API host serves it: its search source and its configured settings. */
export function hostStore(dataDir: string, rt: StoreRuntime, opened: OpenedStore): HostStore {
  const file = rt.type === "file";
  return {
    name: rt.name,
    source: opened.source,
    settings: { kind: rt.type, dir: file ? storeDir(dataDir, rt.name) : "", rotation: rt.rotation, durability: rt.durability, route: rt.route, codec: file ? rt.codec : "" },
  };
}
