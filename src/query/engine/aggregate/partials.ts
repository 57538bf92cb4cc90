/**
 * Stats partials: how one store's chunks fill a stats state (fillStats: from indexes and block
 * summaries when every aggregation is a count, else from the filtered batches), and the job a
 * worker thread runs on one sealed chunk with the same code (chunkPartial), its reply carrying
 * the partial as plain data. ChunkPartials is what a store offers to run such jobs elsewhere;
 * the composition root implements it with Bun Workers (app/aggregate-pool.ts).
 */

import { CorruptError, LogError, errorMessage, type ErrorCode } from "../../../core/errors.ts";
import type { ChunkMeta } from "../../../storage/types.ts";
import type { PipeStage, StatsStage } from "../../lang/pipe-ast.ts";
import { Pacer } from "../pacer.ts";
import { through, type RowBatch } from "../pipeline/types.ts";
import { matchingBatches, type SearchOptions } from "../search.ts";
import type { SearchSource } from "../source.ts";
import type { ChunkPlan, SearchRequest } from "../types.ts";
import { countsOnly, countStore } from "./fast-count.ts";
import { recordStage, type HeadBudget } from "./record-stages.ts";
import { StatsState, type StatsOptions, type StatsPartial } from "./stats.ts";

/** One sealed chunk's stats partial to compute in another thread. */
export interface PartialJob {
  store: string;
  chunk: ChunkMeta;
  req: SearchRequest;
  /** Record stages before the stats stage (where; never head, whose budget spans chunks). */
  before: PipeStage[];
  stage: StatsStage;
  stats: StatsOptions;
  /** Send the chunk's plan back (explain analyze, scan-rate measurement). */
  plans: boolean;
}

/** What a worker sends back for a job. */
export type PartialReply =
  | {
      ok: true;
      partial: StatsPartial;
      warnings: string[];
      plans: ChunkPlan[];
      /** The chunk was damaged: its partial is to be dropped and the chunk run in-thread (which marks it). */
      corrupt: boolean;
    }
  | { ok: false; code: ErrorCode; message: string };

/** Runs PartialJobs of one store's sealed chunks outside the calling thread. */
export interface ChunkPartials {
  /** Threads the jobs run on; 1 or less: the caller computes in-thread. */
  readonly workers: number;
  /**
   * Fewest raw bytes a store's sealed chunks must hold for its stats to go to the workers
   * (below it, starting jobs costs more than the scan saves).
   */
  readonly minBytes: number;
  /**
   * The reply for `job`; rejects with the signal's reason once `signal` aborts (the job's
   * thread is stopped) and with LogError("internal") when its thread fails.
   */
  run(job: PartialJob, signal: AbortSignal): Promise<PartialReply>;
}

/**
 * Fills `total` with the stats of `src`'s records matching `req` after the record stages
 * `before`, one partial per chunk merged as each chunk is done. `heads`: budgets of head stages
 * shared by every store of the query.
 */
export async function fillStats(src: SearchSource, req: SearchRequest, before: readonly PipeStage[], total: StatsState, pacer: Pacer, opts: SearchOptions, heads = new Map<PipeStage, HeadBudget>()): Promise<void> {
  // Stats without record stages before it: counts may come from indexes and block summaries.
  if (before.length === 0 && countsOnly(total.stage)) return countStore(src, req, total, pacer, opts);
  await statsInto(stagedBatches(src, req, before, pacer, opts, heads), total);
}

/** `src`'s batches matching `req` after the record stages `before` (head budgets in `heads`). */
export function stagedBatches(src: SearchSource, req: SearchRequest, before: readonly PipeStage[], pacer: Pacer, opts: SearchOptions, heads: Map<PipeStage, HeadBudget>): AsyncIterable<RowBatch> {
  const stages = before.map((s) => {
    if (s.kind === "head" && !heads.has(s)) heads.set(s, { left: s.n });
    return recordStage(s, pacer, heads.get(s));
  });
  return through(matchingBatches(src, req, opts, pacer).batches, stages);
}

/** One store's batches into `total`: one partial per chunk, merged in when the chunk is done. */
async function statsInto(batches: AsyncIterable<RowBatch>, total: StatsState): Promise<void> {
  let part = total.fresh();
  let chunk = -1;
  try {
    for await (const rb of batches) {
      if (rb.chunkIndex !== chunk) {
        total.merge(part);
        part = total.fresh();
        chunk = rb.chunkIndex;
      }
      part.addRows(rb);
    }
  } finally {
    total.merge(part);
  }
}

/**
 * Runs `job` on `src` (a source holding the job's chunk, opened read-only by the worker) and
 * replies with the partial, or the error as data. `corrupt` tells whether the chunk reported
 * damage while it was read.
 */
export async function chunkPartial(src: SearchSource, job: PartialJob, corrupt: () => boolean): Promise<PartialReply> {
  try {
    const total = new StatsState(job.stage, job.stats);
    const warnings: string[] = [];
    const plans: ChunkPlan[] = [];
    const opts: SearchOptions = { onWarning: (w) => warnings.push(w), onChunk: job.plans ? (p) => plans.push(p) : undefined };
    await fillStats(src, job.req, job.before, total, new Pacer(), opts);
    return { ok: true, partial: total.exportPartial(), warnings, plans, corrupt: corrupt() };
  } catch (err) {
    if (err instanceof CorruptError) return { ok: true, partial: [], warnings: [], plans: [], corrupt: true };
    return err instanceof LogError ? { ok: false, code: err.code, message: err.message } : { ok: false, code: "internal", message: errorMessage(err) };
  }
}
