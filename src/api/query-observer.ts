/**
 * Router interceptor measuring queries (QueryService Search, Follow, Explain, GetContext, Aggregate): count,
 * latency and decompressed blocks/bytes per kind (metrics), and failed queries by code — each
 * also reported to telemetry with its context (method, store, query text), rate-limited.
 * Cancellation by the client (the normal end of a follow) is not an error.
 */

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Metrics, QueryKind } from "../observability/metrics.ts";
import { meteredStream, withQueryCost, type QueryCost } from "../observability/query-cost.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";

/** QueryService methods that are queries, by kind. */
const KINDS: Readonly<Record<string, QueryKind>> = { Search: "search", Follow: "follow", Explain: "explain", GetContext: "context", Aggregate: "aggregate" };
/** Query text kept in a telemetry context. */
const MAX_QUERY_TEXT = 200;

interface QueryLike {
  query?: { store?: string; text?: string };
  ref?: { store?: string };
}

/** The interceptor; metrics and telemetry are each optional. */
export function queryObserver(o: { metrics?: Metrics; telemetry?: Telemetry }): Interceptor {
  return (next) => async (req) => {
    const kind = req.service.typeName === QueryService.typeName ? KINDS[req.method.name] : undefined;
    if (kind === undefined) return next(req);
    const cost: QueryCost = { blocks: 0, bytes: 0 };
    const t0 = performance.now();
    o.metrics?.queries.inc({ kind });
    const finish = (err: unknown) => {
      const m = o.metrics;
      if (m) {
        m.querySeconds.observe({ kind }, (performance.now() - t0) / 1000);
        m.queryBytes.observe({ kind }, cost.bytes);
        m.queryBlocks.observe({ kind }, cost.blocks);
      }
      if (err === undefined) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      const code = Code[e.code].replace(/[A-Z]/g, (c, i: number) => (i > 0 ? "_" : "") + c.toLowerCase());
      m?.queryErrors.inc({ kind, code });
      const msg = (req.stream ? undefined : (req.message as QueryLike)) ?? {};
      const store = msg.query?.store ?? msg.ref?.store ?? "";
      const context: Record<string, string> = { method: req.method.name, code, store: store || "default" };
      if (msg.query?.text) context.query = msg.query.text.slice(0, MAX_QUERY_TEXT);
      o.telemetry?.report("query_error", `${kind}:${code}`, `${kind} failed: ${e.rawMessage}`, context);
    };
    let res;
    try {
      res = await withQueryCost(cost, () => next(req));
    } catch (err) {
      finish(err);
      throw err;
    }
    if (!res.stream) {
      finish(undefined);
      return res;
    }
    const inner = res.message;
    return {
      ...res,
      message: (async function* () {
        let failure: unknown;
        try {
          yield* meteredStream(cost, inner);
        } catch (err) {
          failure = err ?? new ConnectError("stream failed", Code.Unknown);
          throw err;
        } finally {
          finish(failure);
        }
      })(),
    };
  };
}
