/**
 * QueryService: search (streamed in batches with a final message carrying the resume token),
 * aggregate (table pipelines: typed columns, then rows in batches), explain (the three run by
 * query-core.ts, which `gastrolog query` also runs without a server), follow (ends with UNAVAILABLE when the host drains), context and validation. Store
 * "*" searches every store the caller may read merged by event time (query/engine/merge.ts),
 * explains each store and follows all of them. The caller's token limits apply (access.ts;
 * a follow is live, so only the row and range limits of searches apply to it, none to follows).
 */

import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { renderExplain } from "../../query/engine/explain-text.ts";
import { followAll } from "../../query/engine/follow-all.ts";
import { followWheres } from "../../query/engine/follow.ts";
import { followRows } from "../../query/engine/aggregate/follow-rows.ts";
import { toCellPb, toColumnPb } from "../convert/table.ts";
import { parseQueryArgs } from "../../query/lang/controls.ts";
import { printExpr } from "../../query/lang/printer.ts";
import { printStages } from "../../query/lang/pipe-printer.ts";
import { isTablePipeline } from "../../query/lang/pipe-ast.ts";
import { nowMicros } from "../../core/time.ts";
import { LogError } from "../../core/errors.ts";
import type { QueryService, RowSchema } from "../gen/gastrolog/v1/query_pb.ts";
import { fromI64, i64 } from "../convert/int64.ts";
import { toQueryPlanPb } from "../convert/plan.ts";
import { toSearchRequest, queryStore } from "../convert/query.ts";
import { toHitPb } from "../convert/hit.ts";
import type { EngineHost } from "../host.ts";
import { contextAround } from "./context-walk.ts";
import { maxContext } from "./access.ts";
import { ALL_STORES, querySources, requireStore } from "./stores.ts";
import { checkBatchSize, QueryCore } from "./query-core.ts";

/** Table rows per streamed message by default. */
const DEFAULT_TABLE_BATCH = 1024;

export function queryService(host: EngineHost): ServiceImpl<typeof QueryService> {
  const core = new QueryCore(host);
  return {
    search: (req, ctx) => core.search(ctx, req.query, req.batchSize),

    async *aggregate(req, ctx) {
      checkBatchSize(req.batchSize);
      const { table, warnings, truncated, deadline, maxResponseBytes } = await core.table(ctx, req.query);
      const size = req.batchSize || DEFAULT_TABLE_BATCH;
      const columns = table.columns.map(toColumnPb);
      const types = table.columns.map((c) => c.type);
      let rows: MessageInitShape<typeof RowSchema>[] = [];
      let bytes = 0;
      let first = true;
      for (let at = 0; at <= table.rows.length; at++) {
        const last = at === table.rows.length;
        if (last || rows.length >= size || bytes >= maxResponseBytes) {
          const end = last && deadline === undefined;
          yield { columns: first ? columns : [], rows, done: end, warnings: first ? warnings : [], truncated: last ? truncated : "" };
          first = false;
          rows = [];
          bytes = 0;
        }
        if (last) break;
        const cells = table.rows[at]!;
        rows.push({ cells: cells.map((c, i) => toCellPb(c, types[i]!)) });
        for (const c of cells) bytes += typeof c === "string" ? c.length + 2 : 10; // about its wire size
      }
      if (deadline !== undefined) throw new LogError("deadline_exceeded", deadline);
    },

    async explain(req, ctx) {
      const plan = await core.explain(ctx, req.query, req.analyze);
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
