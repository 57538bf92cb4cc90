/**
 * The server's query guards (config `query`, schema.ts QueryConfig; DEFAULT_QUERY when a config
 * never set them) as numbers, and a query's abort signal: the client's, the token's timeout
 * (access.ts), and the query's own `timeout=` or else the server default, which aborts the scan
 * inside its loop (the Pacer) with DEADLINE_EXCEEDED after what was found so far was sent.
 */

import { DEFAULT_QUERY } from "../../config/schema.ts";
import { formatDuration, parseDuration } from "../../core/duration.ts";
import { LogError } from "../../core/errors.ts";
import type { ChunkPlan, SearchRequest } from "../../query/engine/types.ts";
import { explain } from "../../query/engine/explain.ts";
import type { ScanRate } from "../../query/engine/cost.ts";
import type { SearchSource } from "../../query/engine/source.ts";
import { formatSize, parseSize } from "../../config/units.ts";
import type { CallContext } from "../principal.ts";
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

/**
 * Refuses a query whose explain estimate (cost.ts, at `rate`) is above the server's
 * query.maxEstimate, unless its text says force=true; plans every chunk first (no record read).
 */
export async function checkEstimate(sources: readonly SearchSource[], req: SearchRequest, guards: QueryGuards, rate: ScanRate, signal: AbortSignal): Promise<void> {
  if (guards.maxEstimate <= 0 || req.force) return;
  let millis = 0;
  let records = 0;
  let bytes = 0;
  for (const src of sources) {
    const c = (await explain(src, req, signal, rate.bytesPerMs)).cost;
    millis += c?.millis ?? 0;
    records += c?.records ?? 0;
    bytes += c?.bytes ?? 0;
  }
  if (millis * 1000 > guards.maxEstimate) {
    throw new LogError("limit", `query estimated at ${Math.ceil(millis)} ms (${records} records, ${formatSize(bytes)} to read at ${Math.round(rate.bytesPerMs / 1000)} MB/s) is above the server's query.maxEstimate ${formatDuration(guards.maxEstimate)}; narrow the time range or filter, or add force=true`);
  }
}

/** Feeds `rate` from a scanned chunk's actual counts (sequential scans only: index-driven reads say little about the rate). */
export function measureScan(host: EngineHost, rate: ScanRate, p: ChunkPlan): void {
  const meta = host.store(p.store)?.source.store.chunk(p.chunk);
  if (p.actual === undefined || p.scanMode !== "sequential" || meta === undefined || meta.records === 0) return;
  rate.observe((p.actual.scanned * meta.rawBytes) / meta.records, p.actual.millis - p.actual.planMillis);
}

/** A query's signal and its timer, cleared when the query ends (`using`). */
export interface QuerySignal extends Disposable {
  readonly signal: AbortSignal;
}

/** The query's signal: aborted by the client, the token's timeout, or the query's timeout (LogError deadline_exceeded). */
export function querySignal(ctx: CallContext, req: SearchRequest, guards: QueryGuards): QuerySignal {
  const base = limitSignal(ctx);
  const us = req.timeout ?? guards.timeout;
  if (us <= 0) return { signal: base, [Symbol.dispose]: () => {} };
  const source = req.timeout !== undefined ? `timeout=${formatDuration(us)}` : `the server's query.timeout ${formatDuration(us)}`;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new LogError("deadline_exceeded", `query stopped at its time limit (${source}); what was found until then was sent — narrow the time range or filter, or give a longer timeout=`)), us / 1000);
  timer.unref?.();
  return { signal: AbortSignal.any([base, timeout.signal]), [Symbol.dispose]: () => clearTimeout(timer) };
}
