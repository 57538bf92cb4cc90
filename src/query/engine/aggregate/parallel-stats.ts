/**
 * Per-chunk stats in parallel: a store's sealed chunks go to its ChunkPartials (worker
 * threads), one job per chunk, while this thread computes the other chunks (active, sealing);
 * the partials are merged into the query's state in chunk order, so the table equals the
 * in-thread one (sums add up in the same order). Small queries — few sealed chunks or fewer
 * raw bytes than the workers' minBytes — stay in-thread, where starting jobs costs more than
 * it saves. A failed job stops the others; a cancelled or timed-out query stops every job and
 * keeps what was merged so far.
 */

import { LogError } from "../../../core/errors.ts";
import type { ChunkMeta, ChunkSource } from "../../../storage/types.ts";
import type { PipeStage, StatsStage } from "../../lang/pipe-ast.ts";
import { compileFilter } from "../compile.ts";
import { countsOnly } from "./fast-count.ts";
import type { Pacer } from "../pacer.ts";
import type { SearchOptions } from "../search.ts";
import { orderedChunks, type SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import { fillStats, type ChunkPartials, type PartialJob } from "./partials.ts";
import type { StatsOptions, StatsPartial, StatsState } from "./stats.ts";

/** Fewest sealed chunks a store must have for its stats to run in workers. */
export const MIN_PARALLEL_CHUNKS = 2;

/** When a table query computes in workers: when it pays (default), never, or always it can (tests). */
export type ParallelMode = "auto" | "never" | "always";

/**
 * Whether `src`'s stats run in its workers: it has some, no head stage comes first, and (auto)
 * it pays — not for counts of every record (block summaries answer them without reading a
 * block), nor for few sealed chunks or bytes.
 */
export function runsInWorkers(src: SearchSource, req: SearchRequest, before: readonly PipeStage[], stage: StatsStage, mode: ParallelMode = "auto"): src is SearchSource & { partials: ChunkPartials } {
  if (mode === "never" || src.partials === undefined || src.partials.workers <= 1 || before.some((s) => s.kind === "head")) return false;
  if (mode === "always") return true;
  if (before.length === 0 && countsOnly(stage) && compileFilter(req.expr).branches === undefined) return false;
  let chunks = 0;
  let bytes = 0;
  for (const c of src.store.chunks()) {
    if (c.state !== "sealed") continue;
    chunks++;
    bytes += c.rawBytes;
  }
  return chunks >= MIN_PARALLEL_CHUNKS && bytes >= src.partials.minBytes;
}

/**
 * Fills `total` with `src`'s stats: sealed chunks in its workers, the rest here. Throws the
 * first job's error (after stopping the others), or the signal's reason once it aborts, with
 * the partials finished by then merged into `total`.
 */
export async function parallelStats(src: SearchSource & { partials: ChunkPartials }, req: SearchRequest, before: PipeStage[], total: StatsState, stats: StatsOptions, pacer: Pacer, opts: SearchOptions): Promise<void> {
  const chunks = orderedChunks(src, false);
  // Finished partials wait here until every chunk before them is merged (chunk order).
  const parts: (StatsPartial | undefined)[] = new Array(chunks.length);
  let merged = 0;
  const settle = (at: number, partial: StatsPartial) => {
    parts[at] = partial;
    for (; merged < chunks.length && parts[merged] !== undefined; merged++) {
      total.mergePartial(parts[merged]!);
      parts[merged] = undefined;
    }
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
    stop.abort(err);
  };
  const here = async (meta: ChunkMeta): Promise<StatsPartial> => {
    const part = total.fresh();
    await fillStats(oneChunk(src, meta), req, before, part, pacer, opts);
    return part.exportPartial();
  };
  const inWorker = async (meta: ChunkMeta, at: number): Promise<void> => {
    const job: PartialJob = { store: src.name, chunk: meta, req, before, stage: total.stage, stats, plans: opts.onChunk !== undefined };
    const r = await src.partials.run(job, stop.signal);
    if (!r.ok) throw new LogError(r.code, r.message);
    if (r.corrupt) return settle(at, await here(meta)); // read again here, where the store marks it and warns
    for (const w of r.warnings) opts.onWarning?.(w);
    for (const p of r.plans) opts.onChunk?.(p);
    settle(at, r.partial);
  };
  try {
    const jobs = chunks.map((meta, at) => (meta.state === "sealed" ? inWorker(meta, at) : undefined)).map((p) => p?.catch(fail));
    for (let at = 0; at < chunks.length && failure === undefined; at++) {
      if (jobs[at] === undefined) await here(chunks[at]!).then((p) => settle(at, p), fail);
    }
    await Promise.all(jobs);
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    for (const p of parts) if (p !== undefined) total.mergePartial(p); // after a failure: what finished
  }
  if (failure !== undefined) throw failure;
}

/** `src` seen as holding only chunk `meta` (its partial is computed alone, as a worker would). */
function oneChunk(src: SearchSource, meta: ChunkMeta): SearchSource {
  const s = src.store;
  const store: ChunkSource = {
    name: s.name,
    chunks: () => [meta],
    chunk: (id) => (id === meta.id ? meta : undefined),
    open: (id) => s.open(id),
    subscribe: (listener) => s.subscribe(listener),
  };
  return { name: src.name, store, indexes: (view, m) => src.indexes(view, m) };
}
