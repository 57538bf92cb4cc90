/**
 * The server's query guards (config `query`, schema.ts QueryConfig; DEFAULT_QUERY when a config
 * never set them) as numbers, and a query's abort signal: the client's, the token's timeout
 * (access.ts), and the query's own `timeout=` or else the server default, which aborts the scan
 * inside its loop (the Pacer) with DEADLINE_EXCEEDED after what was found so far was sent.
 */

import type { HandlerContext } from "@connectrpc/connect";
import { DEFAULT_QUERY } from "../../config/schema.ts";
import { parseSize } from "../../config/units.ts";
import { formatDuration, parseDuration } from "../../core/duration.ts";
import { LogError } from "../../core/errors.ts";
import type { SearchRequest } from "../../query/engine/types.ts";
import type { EngineHost } from "../host.ts";
import { limitSignal } from "./access.ts";

export interface QueryGuards {
  /** µs; 0 = none. */
  timeout: number;
  /** 0 = none. */
  maxRows: number;
  /** Raw bytes per search; 0 = none. */
  maxBytes: number;
  maxResponseBytes: number;
  /** µs of estimated time; 0 = none. */
  maxEstimate: number;
}

/** The guards in force now (a config change applies to the next query). */
export function queryGuards(host: EngineHost): QueryGuards {
  const q = host.config?.store.current().config.query ?? DEFAULT_QUERY;
  return {
    timeout: parseDuration(q.timeout) ?? 0,
    maxRows: q.maxRows,
    maxBytes: parseSize(q.maxBytes) ?? 0,
    maxResponseBytes: parseSize(q.maxResponseBytes) ?? 1 << 20,
    maxEstimate: parseDuration(q.maxEstimate) ?? 0,
  };
}

/** A query's signal and its timer, cleared when the query ends (`using`). */
export interface QuerySignal extends Disposable {
  readonly signal: AbortSignal;
}

/** The query's signal: aborted by the client, the token's timeout, or the query's timeout (LogError deadline_exceeded). */
export function querySignal(ctx: HandlerContext, req: SearchRequest, guards: QueryGuards): QuerySignal {
  const base = limitSignal(ctx);
  const us = req.timeout ?? guards.timeout;
  if (us <= 0) return { signal: base, [Symbol.dispose]: () => {} };
  const source = req.timeout !== undefined ? `timeout=${formatDuration(us)}` : `the server's query.timeout ${formatDuration(us)}`;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new LogError("deadline_exceeded", `query stopped at its time limit (${source}); what was found until then was sent — narrow the time range or filter, or give a longer timeout=`)), us / 1000);
  timer.unref?.();
  return { signal: AbortSignal.any([base, timeout.signal]), [Symbol.dispose]: () => clearTimeout(timer) };
}
