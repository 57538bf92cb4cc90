/**
 * QueryService: search (streamed in batches with a final message carrying the resume token),
 * aggregate (table pipelines: typed columns, then rows in batches), explain, follow (ends with UNAVAILABLE when the host drains), context and validation. Store
 * "*" searches every store the caller may read merged by event time (query/engine/merge.ts),
 * explains each store and follows all of them. The caller's token limits apply (access.ts;
 * a follow is live, so only the row and range limits of searches apply to it, none to follows).
 */

import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { explain, explainAnalyze } from "../../query/engine/explain.ts";
import { renderExplain } from "../../query/engine/explain-text.ts";
import { followAll } from "../../query/engine/follow-all.ts";
import { followWheres } from "../../query/engine/follow.ts";
import { followRows } from "../../query/engine/aggregate/follow-rows.ts";
import { searchMerged } from "../../query/engine/merge.ts";
import { search } from "../../query/engine/search.ts";
import { tableQuery } from "../../query/engine/aggregate/table-query.ts";
import { toCellPb, toColumnPb } from "../convert/table.ts";
import type { ChunkPlan, QueryPlan } from "../../query/engine/types.ts";
import { ScanRate, totalCost } from "../../query/engine/cost.ts";
import { parseQueryArgs } from "../../query/lang/controls.ts";
import { printExpr } from "../../query/lang/printer.ts";
import { printStages } from "../../query/lang/pipe-printer.ts";
import { isTablePipeline } from "../../query/lang/pipe-ast.ts";
import { nowMicros } from "../../core/time.ts";
import { LogError } from "../../core/errors.ts";
import type { Hit } from "../gen/gastrolog/v1/common_pb.ts";
import { QueryService, type RowSchema } from "../gen/gastrolog/v1/query_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { formatSize } from "../../config/units.ts";
import { checkEstimate, measureScan, queryGuards, querySignal } from "./guards.ts";
import { fromI64, i64 } from "../convert/int64.ts";
import { toQueryPlanPb } from "../convert/plan.ts";
import { queryStore, toSearchRequest } from "../convert/query.ts";
import { toHitPb } from "../convert/record.ts";
import type { EngineHost } from "../host.ts";
import { contextAround } from "./context-walk.ts";
import { limitQuery, maxContext } from "./access.ts";
import { ALL_STORES, querySources, requireStore } from "./stores.ts";

/** Hits per streamed message by default, and the most a client may ask for. */
export const DEFAULT_BATCH = 256;
export const MAX_BATCH = 4096;
/** Table rows per streamed message by default. */
const DEFAULT_TABLE_BATCH = 1024;

export function queryService(host: EngineHost): ServiceImpl<typeof QueryService> {
  const rate = new ScanRate();
  const onChunk = (p: ChunkPlan) => measureScan(host, rate, p);
  return {
    async *search(req, ctx) {
      if (req.batchSize > MAX_BATCH) throw new LogError("invalid_argument", `batch_size ${req.batchSize} is too large; at most ${MAX_BATCH}`);
      const name = queryStore(req.query);
      const size = req.batchSize || DEFAULT_BATCH;
      const guards = queryGuards(host);
      const now = nowMicros();
      const sreq = limitQuery(ctx, toSearchRequest(req.query, now), now);
      const rowCap = guards.maxRows > 0 && (sreq.limit === 0 || sreq.limit > guards.maxRows);
      if (rowCap) sreq.limit = guards.maxRows;
      using q = querySignal(ctx, sreq, guards);
      let warnings: string[] = [];
      const opts = { signal: q.signal, onWarning: (w: string) => warnings.push(w), onChunk };
      const sources = name === ALL_STORES ? querySources(host, ctx, name) : [requireStore(host, ctx, name).source];
      await checkEstimate(sources, sreq, guards, rate, q.signal);
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
    },

    async *aggregate(req, ctx) {
      if (req.batchSize > MAX_BATCH) throw new LogError("invalid_argument", `batch_size ${req.batchSize} is too large; at most ${MAX_BATCH}`);
      const guards = queryGuards(host);
      const now = nowMicros();
      const sreq = { ...limitQuery(ctx, toSearchRequest(req.query, now), now), resume: undefined, contextBefore: 0, contextAfter: 0 };
      const rowCap = guards.maxRows > 0 && (sreq.limit === 0 || sreq.limit > guards.maxRows);
      if (rowCap) sreq.limit = guards.maxRows;
      using q = querySignal(ctx, sreq, guards);
      const sources = querySources(host, ctx, queryStore(req.query));
      await checkEstimate(sources, sreq, guards, rate, q.signal);
      const { table, done } = await tableQuery(sources, sreq, sreq.stages ?? [], { signal: q.signal, onChunk });
      if (rowCap && done.truncated) done.truncated = `more than ${guards.maxRows} rows (the server's query.maxRows)`;
      const size = req.batchSize || DEFAULT_TABLE_BATCH;
      const columns = table.columns.map(toColumnPb);
      const types = table.columns.map((c) => c.type);
      let rows: MessageInitShape<typeof RowSchema>[] = [];
      let bytes = 0;
      let first = true;
      for (let at = 0; at <= table.rows.length; at++) {
        const last = at === table.rows.length;
        if (last || rows.length >= size || bytes >= guards.maxResponseBytes) {
          const end = last && done.deadline === undefined;
          yield { columns: first ? columns : [], rows, done: end, warnings: first ? done.warnings : [], truncated: last ? (done.truncated ?? "") : "" };
          first = false;
          rows = [];
          bytes = 0;
        }
        if (last) break;
        const cells = table.rows[at]!;
        rows.push({ cells: cells.map((c, i) => toCellPb(c, types[i]!)) });
        for (const c of cells) bytes += typeof c === "string" ? c.length + 2 : 10; // about its wire size
      }
      if (done.deadline !== undefined) throw new LogError("deadline_exceeded", done.deadline);
    },

    async explain(req, ctx) {
      const now = nowMicros();
      const sreq = limitQuery(ctx, toSearchRequest(req.query, now), now);
      using q = querySignal(ctx, sreq, queryGuards(host));
      const signal = q.signal;
      const plans: QueryPlan[] = [];
      for (const src of querySources(host, ctx, queryStore(req.query))) plans.push(req.analyze ? await explainAnalyze(src, sreq, signal) : await explain(src, sreq, signal, rate.bytesPerMs));
      const plan = plans.length === 1 ? plans[0]! : combinePlans(plans, sreq.reverse);
      return { plan: toQueryPlanPb(plan), text: renderExplain(plan) };
    },

    async *follow(req, ctx) {
      const name = queryStore(req.query);
      const sources = querySources(host, ctx, name);
      const sreq = toSearchRequest(req.query);
      followWheres(sreq.stages ?? []); // refuses table and materializing stages before the stream opens
      const shape = followRows(sreq.stages ?? []);
      const types = shape?.columns.map((c) => c.type) ?? [];
      const signal = AbortSignal.any([ctx.signal, host.drainSignal]);
      const it = followAll(sources, sreq, signal);
      const warnings = (name === ALL_STORES ? host.stores() : [requireStore(host, ctx, name)]).flatMap((s) => (s.settings.followNote ? [s.settings.followNote] : []));
      // The first next() takes the "appended after now" snapshot synchronously; the empty
      // message that follows tells the client the follow is live.
      let next = it.next();
      try {
        yield { hits: [], warnings, columns: shape?.columns.map(toColumnPb) ?? [] };
        for (let r = await next; !r.done; r = await next) {
          yield shape ? { rows: [{ cells: shape.row(r.value.record).map((c, i) => toCellPb(c, types[i]!)) }] } : { hits: [toHitPb(r.value)] };
          next = it.next();
        }
      } finally {
        void it.return(undefined);
      }
      if (ctx.signal.aborted) throw ctx.signal.reason; // deadline or cancel: report it as such
      if (host.drainSignal.aborted) throw new ConnectError("server is shutting down; follow again once it is back", Code.Unavailable);
    },

    async getContext(req, ctx) {
      if (!req.ref) throw new LogError("invalid_argument", "ref is required (store, chunk, pos)");
      const store = requireStore(host, ctx, req.ref.store);
      const c = contextAround(store.source, { chunk: req.ref.chunk, pos: req.ref.pos }, maxContext(ctx, req.before), maxContext(ctx, req.after));
      return { before: c.before.map(toHitPb), anchor: toHitPb(c.anchor), after: c.after.map(toHitPb) };
    },

    async validateQuery(req) {
      const q = parseQueryArgs(req.text, req.nowUs !== 0n ? fromI64(req.nowUs, "now_us") : nowMicros());
      return {
        expression: q.expr ? printExpr(q.expr) : "",
        startUs: q.start === undefined ? undefined : i64(q.start),
        endUs: q.end === undefined ? undefined : i64(q.end),
        limit: q.limit,
        reverse: q.reverse,
        pipeline: printStages(q.stages),
        table: isTablePipeline(q.stages),
      };
    },
  };
}

/** One plan for several stores: every store's chunks (stores in name order), totals summed. */
function combinePlans(plans: readonly QueryPlan[], reverse: boolean): QueryPlan {
  const first = plans[0];
  const base: QueryPlan = first ?? { direction: reverse ? "reverse" : "forward", expression: "", dnfBranches: [], limit: 0, totalChunks: 0, chunks: [] };
  const combined: QueryPlan = { ...base, totalChunks: plans.reduce((n, p) => n + p.totalChunks, 0), chunks: plans.flatMap((p) => p.chunks) };
  if (base.cost) combined.cost = totalCost(plans.map((p) => p.cost ?? totalCost([])));
  return combined;
}
