/**
 * Per-token query limits — the widest time range a query may span, the most rows one request
 * returns, a timeout, and requests per minute — and the per-token rate limiter. 0 means "no
 * limit" everywhere. Pure except for the limiter's clock.
 */

import { LogError } from "../core/errors.ts";

export interface QueryLimits {
  /** Widest [start, end) a query may span, µs. */
  maxRangeUs: number;
  /** Most matches (or context records) one request returns. */
  maxRows: number;
  /** Time a query may run (Search, Explain, GetContext), ms. */
  timeoutMs: number;
  /** Query requests per minute. */
  perMinute: number;
}

export const NO_LIMITS: Readonly<QueryLimits> = { maxRangeUs: 0, maxRows: 0, timeoutMs: 0, perMinute: 0 };

/** Rejects negative or fractional limits with a message naming the field. */
export function checkLimits(l: QueryLimits): QueryLimits {
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new LogError("invalid_argument", `limit ${k} must be a non-negative integer, got ${v}`);
  }
  return l;
}

/** True when every limit is off. */
export function unlimited(l: QueryLimits): boolean {
  return l.maxRangeUs === 0 && l.maxRows === 0 && l.timeoutMs === 0 && l.perMinute === 0;
}

/**
 * Requests per minute per token name: a sliding window of the last minute's request times.
 * `take` returns 0 when the request may go ahead, else the ms until one would be allowed.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  take(name: string, perMinute: number): number {
    if (perMinute <= 0) return 0;
    const t = this.now();
    let w = this.windows.get(name);
    if (!w) this.windows.set(name, (w = []));
    while (w.length > 0 && w[0]! <= t - 60_000) w.shift();
    if (w.length >= perMinute) return w[0]! + 60_000 - t;
    w.push(t);
    return 0;
  }
}
