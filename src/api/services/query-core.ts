/**
 * What QueryService's Search, Aggregate and Explain do, without Connect or the protobuf runtime:
 * the caller's limits and the server's guards applied, the engine run, hits batched as plain Hit
 * messages, a table or a plan returned as the engine's. QueryService (query.ts) serves these over
 * the API; `gastrolog query` without a server runs them in its own process (app/query-local.ts)
 * so it never builds the API's descriptors. Errors are LogErrors (the API maps their codes).
 */

import { explain, explainAnalyze } from "../../query/engine/explain.ts";
import { searchMerged } from "../../query/engine/merge.ts";
import { search } from "../../query/engine/search.ts";
import { tableQuery } from "../../query/engine/aggregate/table-query.ts";
import type { Table } from "../../core/table.ts";
import type { ChunkPlan, QueryPlan } from "../../query/engine/types.ts";
import { ScanRate, totalCost } from "../../query/engine/cost.ts";
import { nowMicros } from "../../core/time.ts";
import { LogError } from "../../core/errors.ts";
import type { Hit } from "../gen/gastrolog/v1/common_pb.ts";
import type { Query } from "../gen/gastrolog/v1/query_pb.ts";
import { formatSize } from "../../config/units.ts";
import { checkEstimate, measureScan, queryGuards, querySignal } from "./guards.ts";
import { queryStore, toSearchRequest } from "../convert/query.ts";
import { toHitPb } from "../convert/hit.ts";
import type { EngineHost } from "../host.ts";
import type { CallContext } from "../principal.ts";
import { limitQuery } from "./access.ts";
import { ALL_STORES, querySources, requireStore } from "./stores.ts";

/** Hits per batch by default, and the most a client may ask for. */
export const DEFAULT_BATCH = 256;
export const MAX_BATCH = 4096;

/** One batch of a search: the last one has `done` with the resume token ("" when the search ended). */
export interface HitBatch {
  hits: Hit[];
  warnings: string[];
  done?: true;
  resumeToken?: string;
  truncated?: string;
}

/** A table query's result: the table, its warnings, why it was cut, and the time limit that stopped it (after the table). */
export interface TableOutcome {
  table: Table;
  warnings: string[];
  truncated: string;
  deadline?: string;
  /** Most bytes per response (the server's query.maxResponseBytes). */
  maxResponseBytes: number;
}

/** Rejects a batch size above MAX_BATCH. */
export function checkBatchSize(size: number): void {
  if (size > MAX_BATCH) throw new LogError("invalid_argument", `batch_size ${size} is too large; at most ${MAX_BATCH}`);
}

/** The query operations over `host`, sharing one scan rate (for estimates) across calls. */
export class QueryCore {
  private readonly rate = new ScanRate();
  private readonly onChunk = (p: ChunkPlan) => measureScan(this.host, this.rate, p);

  constructor(private readonly host: EngineHost) {}

  /** Searches `query`, yielding batches of at most `batchSize` hits (0 = default) or the server's response size. */
  async *search(ctx: CallContext, query: Query | undefined, batchSize: number): AsyncGenerator<HitBatch> {
    checkBatchSize(batchSize);
    const host = this.host;
    const name = queryStore(query);
    const size = batchSize || DEFAULT_BATCH;
    const guards = queryGuards(host);
    const now = nowMicros();
    const sreq = limitQuery(ctx, toSearchRequest(query, now), now);
    const rowCap = guards.maxRows > 0 && (sreq.limit === 0 || sreq.limit > guards.maxRows);
    if (rowCap) sreq.limit = guards.maxRows;
    using q = querySignal(ctx, sreq, guards);
    let warnings: string[] = [];
    const opts = { signal: q.signal, onWarning: (w: string) => warnings.push(w), onChunk: this.onChunk };
    const sources = name === ALL_STORES ? querySources(host, ctx, name) : [requireStore(host, ctx, name).source];
    await checkEstimate(sources, sreq, guards, this.rate, q.signal);
    const it = name === ALL_STORES ? searchMerged(sources, sreq, opts) : search(sources[0]!, sreq, opts);
    let hits: Hit[] = [];
    let bytes = 0;
    let total = 0;
    for (;;) {
      const r = await it.next();
      if (r.done || (guards.maxBytes > 0 && total > guards.maxBytes)) {
        const resume = r.done ? (r.value.resume ?? "") : "";
        if (!r.done) await it.return({});
        const truncated = !r.done ? `more than ${formatSize(guards.maxBytes)} of records (the server's query.maxBytes); narrow the query or page with limit=` : rowCap && resume ? `${guards.maxRows} matches (the server's query.maxRows); continue with the resume token` : "";
        yield { hits, done: true, resumeToken: resume, warnings, truncated };
        return;
      }
      hits.push(toHitPb(r.value));
      bytes += r.value.record.raw.length;
      total += r.value.record.raw.length;
      if (hits.length >= size || bytes >= guards.maxResponseBytes) {
        yield { hits, warnings };
        hits = [];
        warnings = [];
        bytes = 0;
      }
    }
  }

  /** Runs a table pipeline (| stats, | timechart, | fields) of `query`. */
  async table(ctx: CallContext, query: Query | undefined): Promise<TableOutcome> {
    const host = this.host;
    const guards = queryGuards(host);
    const now = nowMicros();
    const sreq = { ...limitQuery(ctx, toSearchRequest(query, now), now), resume: undefined, contextBefore: 0, contextAfter: 0 };
    const rowCap = guards.maxRows > 0 && (sreq.limit === 0 || sreq.limit > guards.maxRows);
    if (rowCap) sreq.limit = guards.maxRows;
    using q = querySignal(ctx, sreq, guards);
    const sources = querySources(host, ctx, queryStore(query));
    await checkEstimate(sources, sreq, guards, this.rate, q.signal);
    const { table, done } = await tableQuery(sources, sreq, sreq.stages ?? [], { signal: q.signal, onChunk: this.onChunk });
    if (rowCap && done.truncated) done.truncated = `more than ${guards.maxRows} rows (the server's query.maxRows)`;
    const out: TableOutcome = { table, warnings: done.warnings, truncated: done.truncated ?? "", maxResponseBytes: guards.maxResponseBytes };
    if (done.deadline !== undefined) out.deadline = done.deadline;
    return out;
  }

  /** The plan of `query` (every chunk of every store it names), run and measured when `analyze`. */
  async explain(ctx: CallContext, query: Query | undefined, analyze: boolean): Promise<QueryPlan> {
    const now = nowMicros();
    const sreq = limitQuery(ctx, toSearchRequest(query, now), now);
    using q = querySignal(ctx, sreq, queryGuards(this.host));
    const plans: QueryPlan[] = [];
    for (const src of querySources(this.host, ctx, queryStore(query))) plans.push(analyze ? await explainAnalyze(src, sreq, q.signal) : await explain(src, sreq, q.signal, this.rate.bytesPerMs));
    return plans.length === 1 ? plans[0]! : combinePlans(plans, sreq.reverse);
  }
}

/** One plan for several stores: every store's chunks (stores in name order), totals summed. */
function combinePlans(plans: readonly QueryPlan[], reverse: boolean): QueryPlan {
  const first = plans[0];
  const base: QueryPlan = first ?? { direction: reverse ? "reverse" : "forward", expression: "", dnfBranches: [], limit: 0, totalChunks: 0, chunks: [] };
  const combined: QueryPlan = { ...base, totalChunks: plans.reduce((n, p) => n + p.totalChunks, 0), chunks: plans.flatMap((p) => p.chunks) };
  if (base.cost) combined.cost = totalCost(plans.map((p) => p.cost ?? totalCost([])));
  return combined;
}
