/**
 * Appender: where the ingest pipeline hands its batches. The composition root implements it
 * with routing to stores; `storeAppender` wraps one ChunkStore (tests, benches, single-store
 * setups). The promise must resolve only once the batch is durable.
 */

import type { RecordInput } from "../../core/record.ts";
import type { ChunkStore } from "../../storage/types.ts";

/** Takes a batch of records; resolves when they are durable (fsync'd under the store's policy). */
export interface Appender {
  append(records: RecordInput[]): Promise<void>;
}

/** An Appender that writes every batch to one store. */
export function storeAppender(store: ChunkStore): Appender {
  return {
    async append(records) {
      await store.append(records);
    },
  };
}
