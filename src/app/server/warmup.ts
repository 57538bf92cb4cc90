/**
 * What a server does for each store once it is ready, in the background: opens the index
 * heads of the newest sealed chunks (index/prewarm.ts, within a quarter of the process cache),
 * so the first query after a start reads one dictionary block per chunk instead of opening
 * every segment and head; before each chunk it waits for `whenIdle` (no request in flight), so
 * it does not slow the requests it is for. Aborted at shutdown; never throws.
 */

import { errorMessage } from "../../core/errors.ts";
import { prewarmIndexes } from "../../index/prewarm.ts";
import { indexScope, type OpenedStore } from "../stores.ts";
import { processCache } from "../process-cache.ts";

/** Share of the process cache a store's warm-up may fill with index heads. */
const HEADS_CACHE_SHARE = 0.25;

export interface WarmupResult {
  chunks: number;
  bytes: number;
  millis: number;
  error?: string;
}

/** Warms `o` (see the file comment); resolves with what it did, or why it stopped. */
export async function warmStore(o: OpenedStore, signal: AbortSignal, whenIdle?: () => Promise<unknown>): Promise<WarmupResult> {
  const t0 = performance.now();
  try {
    const heads = await prewarmIndexes(o.store, (meta) => indexScope(o.source.name, meta), processCache().maxBytes * HEADS_CACHE_SHARE, signal, whenIdle);
    return { ...heads, millis: performance.now() - t0 };
  } catch (err) {
    return { chunks: 0, bytes: 0, millis: performance.now() - t0, error: signal.aborted ? undefined : errorMessage(err) };
  }
}
