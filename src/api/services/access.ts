/**
 * The caller (principalKey, set by the auth interceptor) inside the services, and a query bent
 * to its token's limits — a missing start bound becomes end - maxRange, a wider
 * range is refused, the row limit is capped, and a timeout joins the request's signal.
 */

import { LogError } from "../../core/errors.ts";
import { formatDuration } from "../../core/duration.ts";
import type { SearchRequest } from "../../query/engine/types.ts";
import type { Principal } from "../../security/access.ts";
import { principalKey, type CallContext } from "../principal.ts";

/** The caller of the request. */
export function principalOf(ctx: CallContext): Principal {
  return ctx.values.get(principalKey);
}

/** A search request within the caller's limits (see the header); `now` resolves "no start". */
export function limitQuery(ctx: CallContext, req: SearchRequest, now: number): SearchRequest {
  const { name, limits } = principalOf(ctx);
  const out = { ...req };
  if (limits.maxRangeUs > 0) {
    const end = out.end ?? now;
    out.start ??= end - limits.maxRangeUs;
    if (end - out.start > limits.maxRangeUs) {
      throw new LogError("permission_denied", `query spans ${formatDuration(end - out.start)}; token ${name} may query at most ${formatDuration(limits.maxRangeUs)} (narrow start=/end=)`);
    }
  }
  if (limits.maxRows > 0) {
    out.limit = out.limit === 0 ? limits.maxRows : Math.min(out.limit, limits.maxRows);
    out.contextBefore = Math.min(out.contextBefore, limits.maxRows);
    out.contextAfter = Math.min(out.contextAfter, limits.maxRows);
  }
  return out;
}

/** The request's signal, ended after the caller's timeout too (when it has one). */
export function limitSignal(ctx: CallContext): AbortSignal {
  const ms = principalOf(ctx).limits.timeoutMs;
  if (ms <= 0) return ctx.signal;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new LogError("limit", `query stopped after ${ms} ms, the timeout of token ${principalOf(ctx).name}`)), ms);
  timer.unref?.();
  ctx.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  return AbortSignal.any([ctx.signal, timeout.signal]);
}

/** Most context records the caller may ask for around one record. */
export function maxContext(ctx: CallContext, asked: number): number {
  const rows = principalOf(ctx).limits.maxRows;
  return rows > 0 ? Math.min(asked, rows) : asked;
}
