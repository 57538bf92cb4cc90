/**
 * The Recall the local-source receivers use to resume exactly once after a crash: the newest
 * ingestTs at or after `since` among the records a receiver already stored, found by scanning
 * only the chunks whose ingest time range reaches `since` (normally the active chunk of each
 * store). Reads through the ChunkStore interface; attrs are decoded only for candidates.
 */

import type { Recall } from "../../ingest/checkpoint/checkpointer.ts";
import type { ChunkStore } from "../../storage/types.ts";

/** A Recall over the stores `stores()` returns at the time of the call. */
export function storeRecall(stores: () => readonly ChunkStore[]): Recall {
  return async (receiverId, since) => {
    let best = 0;
    for (const store of stores()) {
      for (const meta of store.chunks()) {
        if (meta.records === 0 || meta.ingestTs.max < since || meta.ingestTs.max <= best) continue;
        let reader;
        try {
          reader = store.open(meta.id);
        } catch {
          continue; // deleted or corrupt meanwhile: it holds nothing to resume from
        }
        try {
          for (const batch of reader.batches(0, reader.count())) {
            for (let i = 0; i < batch.count; i++) {
              const t = batch.ingestTs[i]!;
              if (t >= since && t > best && batch.attrs(i).receiver === receiverId) best = t;
            }
          }
        } finally {
          reader.close();
        }
      }
    }
    return best;
  };
}
