/**
 * Entry point of an aggregation worker (a Bun Worker; an extra entry of `bun build --compile`,
 * started by aggregate-pool.ts): per message, opens one sealed chunk's segment file read-only
 * (mapped, never written), computes its stats partial with the engine's own per-chunk code
 * (query/engine/aggregate/partials.ts) and replies with it as plain data, or the error.
 * Owns no state between jobs but the process caches of this thread.
 */

import { CorruptError, LogError, errorMessage } from "../core/errors.ts";
import { chunkPartial } from "../query/engine/aggregate/partials.ts";
import { SealedChunkReader } from "../storage/file/chunk-readers.ts";
import { SegmentReader } from "../storage/segment/reader.ts";
import type { ChunkSource } from "../storage/types.ts";
import type { WorkerJob, WorkerReply } from "./aggregate-pool.ts";
import { startupDone } from "./cli/jit.ts";
import { processCache } from "./process-cache.ts";
import { searchSource } from "./search-source.ts";

declare const self: Worker;

// Aggregating is all hot loops: the normal JIT from the start.
startupDone();

self.onmessage = async (e: MessageEvent<WorkerJob>) => {
  const job = e.data;
  // This thread's decoded blocks and index parts: its share of the budget (made on the first job).
  const cache = processCache(job.cacheShare);
  let corrupt = false;
  const meta = job.chunk;
  const store: ChunkSource = {
    name: job.store,
    chunks: () => [meta],
    chunk: (id) => (id === meta.id ? meta : undefined),
    open(id) {
      if (id !== meta.id) throw new LogError("not_found", `chunk ${id} is not the one this aggregation job reads (${meta.id})`);
      try {
        const seg = SegmentReader.open(job.path, cache);
        return new SealedChunkReader(seg, meta, () => (corrupt = true), (s) => s.close());
      } catch (err) {
        if (err instanceof CorruptError) corrupt = true;
        throw err;
      }
    },
    subscribe: () => () => {},
  };
  try {
    const reply = await chunkPartial(searchSource(job.store, store), job, () => corrupt);
    self.postMessage({ ...reply, id: job.id } satisfies WorkerReply);
  } catch (err) {
    // chunkPartial answers every error as data; this is the reply itself failing (not cloneable).
    self.postMessage({ id: job.id, ok: false, code: "internal", message: `aggregating chunk ${meta.id} in a worker failed: ${errorMessage(err)}` } satisfies WorkerReply);
  }
};
