/**
 * QueryService: search (streamed in batches with a final message carrying the resume token),
 * explain, follow (ends with UNAVAILABLE when the host drains), context and validation.
 */

import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { explain, explainAnalyze } from "../../query/engine/explain.ts";
import { renderExplain } from "../../query/engine/explain-text.ts";
import { follow } from "../../query/engine/follow.ts";
import { search } from "../../query/engine/search.ts";
import { parseQueryArgs } from "../../query/lang/controls.ts";
import { printExpr } from "../../query/lang/printer.ts";
import { nowMicros } from "../../core/time.ts";
import { LogError } from "../../core/errors.ts";
import type { Hit } from "../gen/gastrolog/v1/common_pb.ts";
import { QueryService } from "../gen/gastrolog/v1/query_pb.ts";
import { fromI64, i64 } from "../convert/int64.ts";
import { toQueryPlanPb } from "../convert/plan.ts";
import { queryStore, toSearchRequest } from "../convert/query.ts";
import { toHitPb } from "../convert/record.ts";
import type { EngineHost } from "../host.ts";
import { contextAround } from "./context-walk.ts";
import { requireStore } from "./stores.ts";

/** Hits per streamed message by default, and the most a client may ask for. */
export const DEFAULT_BATCH = 256;
export const MAX_BATCH = 4096;
/** A batch is also sent once its raw payloads pass this many bytes. */
const BATCH_BYTES = 1 << 20;

export function queryService(host: EngineHost): ServiceImpl<typeof QueryService> {
  return {
    async *search(req, ctx) {
      if (req.batchSize > MAX_BATCH) throw new LogError("invalid_argument", `batch_size ${req.batchSize} is too large; at most ${MAX_BATCH}`);
      const store = requireStore(host, queryStore(req.query));
      const size = req.batchSize || DEFAULT_BATCH;
      let warnings: string[] = [];
      const it = search(store.source, toSearchRequest(req.query), { signal: ctx.signal, onWarning: (w) => warnings.push(w) });
      let hits: Hit[] = [];
      let bytes = 0;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          yield { hits, done: true, resumeToken: r.value.resume ?? "", warnings };
          return;
        }
        hits.push(toHitPb(r.value));
        bytes += r.value.record.raw.length;
        if (hits.length >= size || bytes >= BATCH_BYTES) {
          yield { hits, warnings };
          hits = [];
          warnings = [];
          bytes = 0;
        }
      }
    },

    async explain(req, ctx) {
      const store = requireStore(host, queryStore(req.query));
      const sreq = toSearchRequest(req.query);
      const plan = req.analyze ? await explainAnalyze(store.source, sreq, ctx.signal) : explain(store.source, sreq);
      return { plan: toQueryPlanPb(plan), text: renderExplain(plan) };
    },

    async *follow(req, ctx) {
      const store = requireStore(host, queryStore(req.query));
      const sreq = toSearchRequest(req.query);
      const signal = AbortSignal.any([ctx.signal, host.drainSignal]);
      const it = follow(store.source, sreq, signal);
      // The first next() takes the "appended after now" snapshot synchronously; the empty
      // message that follows tells the client the follow is live.
      let next = it.next();
      try {
        yield { hits: [] };
        for (let r = await next; !r.done; r = await next) {
          yield { hits: [toHitPb(r.value)] };
          next = it.next();
        }
      } finally {
        void it.return(undefined);
      }
      if (ctx.signal.aborted) throw ctx.signal.reason; // deadline or cancel: report it as such
      if (host.drainSignal.aborted) throw new ConnectError("server is shutting down; follow again once it is back", Code.Unavailable);
    },

    async getContext(req) {
      if (!req.ref) throw new LogError("invalid_argument", "ref is required (store, chunk, pos)");
      const store = requireStore(host, req.ref.store);
      const c = contextAround(store.source, { chunk: req.ref.chunk, pos: req.ref.pos }, req.before, req.after);
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
      };
    },
  };
}
