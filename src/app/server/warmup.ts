/**
 * What a server does for each store once it is ready, in the background: first the warm-up
 * search (warm-search.ts: the newest chunks' segments opened, token heads read and the needle
 * query's per-chunk code compiled, a few milliseconds per chunk), then the index heads of every
 * section of the newest sealed chunks (index/prewarm.ts, within a quarter of the process cache),
 * so the first query after a start reads one dictionary block per chunk instead of opening
 * every segment and head; before each chunk of either step it waits for `whenIdle` (no request
 * in flight), so it does not slow the requests it is for. Aborted at shutdown; never throws.
 */

import { errorMessage } from "../../core/errors.ts";
import { prewarmIndexes } from "../../index/prewarm.ts";
import type { OpenedStore } from "../stores.ts";
import { indexScope } from "../search-source.ts";
import { processCache } from "../process-cache.ts";
import { OPEN_SEGMENTS } from "../../storage/file/segment-cache.ts";
import { warmSearch } from "./warm-search.ts";

/** Share of the process cache a store's warm-up may fill with index heads. */
const HEADS_CACHE_SHARE = 0.25;

export interface WarmupResult {
  /** Chunks the warm-up search walked. */
  searched: number;
  /** Chunks whose index heads were opened. */
  chunks: number;
  /** Index bytes read by both steps. */
  bytes: number;
  millis: number;
  error?: string;
}

/** Warms `o` (see the file comment); resolves with what it did, or why it stopped. */
export async function warmStore(o: OpenedStore, signal: AbortSignal, whenIdle?: () => Promise<unknown>): Promise<WarmupResult> {
  const t0 = performance.now();
  let searched = 0;
  let bytes = 0;
  try {
    const s = await warmSearch(o.source, OPEN_SEGMENTS, signal, whenIdle);
    searched = s.chunks;
    bytes = s.bytes;
    const heads = await prewarmIndexes(o.store, (meta) => indexScope(o.source.name, meta), processCache().maxBytes * HEADS_CACHE_SHARE, signal, whenIdle);
    return { searched, chunks: heads.chunks, bytes: bytes + heads.bytes, millis: performance.now() - t0 };
  } catch (err) {
    return { searched, chunks: 0, bytes, millis: performance.now() - t0, error: signal.aborted ? undefined : errorMessage(err) };
  }
}
