/**
 * The search part of a store's warm-up after a server start: the engine's own search, run
 * twice for a word no chunk holds over the store's newest sealed, fully indexed chunks (at most
 * as many as the store keeps open). It opens those segments, reads each chunk's token index head
 * and one dictionary block, and runs the per-chunk code a needle query runs (open, index probe,
 * plan) often enough that the JIT has compiled it — so a user's first query after a start costs
 * about what the next ones do, apart from the dictionary blocks of its own words. Never scans:
 * a chunk whose plan is a scan stops the warm-up (a line holding the word costs one record read).
 */

import { LogError } from "../../core/errors.ts";
import { parseExpr } from "../../query/lang/parser.ts";
import { search } from "../../query/engine/search.ts";
import type { SearchSource } from "../../query/engine/source.ts";
import type { ChunkMeta, ChunkSource } from "../../storage/types.ts";
import type { ChunkPlan } from "../../query/engine/types.ts";

/** An indexable word (at most 16 bytes, not a number) that no log line is expected to hold. */
export const WARM_WORD = "warmup_q7x2";
/** Passes over the chunks: the first reads, the second runs the same code over cached parts. */
const PASSES = 2;

/** What a warm-up search did. */
export interface WarmSearchResult {
  /** Chunks each pass walked. */
  chunks: number;
  /** Index bytes the passes read. */
  bytes: number;
}

/**
 * The newest `max` sealed chunks of `src` whose indexes are complete, as a source of their own
 * whose every chunk open first waits for `whenIdle`.
 */
function newestIndexed(src: SearchSource, max: number, whenIdle: () => Promise<unknown>): SearchSource {
  const store = src.store;
  const picked = store.chunks().filter((m) => m.state === "sealed" && m.indexStatus === "complete").slice(-max);
  const narrowed: ChunkSource = {
    name: store.name,
    chunks: () => [...picked],
    chunk: (id) => store.chunk(id),
    open: async (id) => {
      await whenIdle();
      return store.open(id);
    },
    subscribe: (listener) => store.subscribe(listener),
  };
  return { name: src.name, store: narrowed, indexes: (view, meta: ChunkMeta) => src.indexes(view, meta) };
}

/**
 * Runs the warm-up search over at most `maxChunks` of `src`'s newest indexed chunks, waiting
 * for `whenIdle` (a server: no request in flight) before each chunk, so it never slows the
 * requests it is for; stops (LogError "cancelled") when `signal` aborts, and with an error when
 * a chunk would be scanned (or when `whenIdle` throws). `passes` over the chunks: PASSES.
 */
export async function warmSearch(src: SearchSource, maxChunks: number, signal: AbortSignal, whenIdle: () => Promise<unknown> = async () => {}, passes = PASSES): Promise<WarmSearchResult> {
  const source = newestIndexed(src, maxChunks, whenIdle);
  const chunks = source.store.chunks().length;
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  let bytes = 0;
  let scan: ChunkPlan | undefined;
  const onChunk = (p: ChunkPlan) => {
    bytes += p.actual?.indexBytes ?? 0;
    if (p.scanMode !== "sequential" || scan !== undefined) return;
    scan = p;
    stop.abort();
  };
  const req = { expr: parseExpr(WARM_WORD), limit: 1, reverse: true, contextBefore: 0, contextAfter: 0 };
  try {
    for (let pass = 0; pass < passes && chunks > 0; pass++) {
      for await (const _ of search(source, req, { signal: both, onChunk }));
    }
  } catch (err) {
    if (scan === undefined || signal.aborted) throw err;
  }
  if (scan !== undefined) throw new LogError("internal", `the warm-up search would scan chunk ${scan.chunk} (${scan.runtimeFilter}); stopped`);
  return { chunks, bytes };
}

/**
 * One pass of the warm-up search over `src`'s newest `maxChunks` indexed chunks that stops
 * (quietly) once `budgetMs` have passed: what a server does before it reports ready. Resolves
 * with the chunks it reached before the budget ran out.
 */
export async function warmWithin(src: SearchSource, maxChunks: number, budgetMs: number, signal: AbortSignal): Promise<number> {
  const deadline = performance.now() + budgetMs;
  let reached = 0;
  const inBudget = async () => {
    if (performance.now() >= deadline) throw new LogError("cancelled", "warm-up budget spent");
    reached++;
  };
  await warmSearch(src, maxChunks, signal, inBudget, 1).catch(() => {});
  return reached;
}
