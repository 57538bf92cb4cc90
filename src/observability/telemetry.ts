/**
 * Telemetry of the things an operator must hear about without drowning in them: message drops,
 * index-build failures and query errors. Each is counted, remembered with its context for
 * `status` (the last event per kind), and logged once with that context — a repeat of the same
 * key within the interval is only counted, and the next line says how many were held back.
 */

import { systemClock, type Clock } from "../core/time.ts";
import type { Logger } from "./logger.ts";

export const TELEMETRY_KINDS = ["message_drop", "index_build_failure", "query_error"] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];

/** What status shows per kind. */
export interface TelemetryView {
  kind: TelemetryKind;
  count: number;
  /** The last event ("" before the first) and when it happened (epoch µs, 0 = never). */
  lastMessage: string;
  lastAt: number;
  context: Readonly<Record<string, string>>;
}

/** Default quiet period per key between two log lines. */
export const TELEMETRY_LOG_INTERVAL_MS = 60_000;
/** Keys remembered for rate limiting (oldest forgotten first). */
const MAX_KEYS = 1024;

interface KeyState {
  lastLogged: number;
  held: number;
}

export class Telemetry {
  private readonly views = new Map<TelemetryKind, TelemetryView>();
  private readonly keys = new Map<string, KeyState>();
  private readonly clock: Clock;
  private readonly intervalMs: number;

  constructor(
    private readonly logger: Logger,
    options: { intervalMs?: number; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? TELEMETRY_LOG_INTERVAL_MS;
    for (const kind of TELEMETRY_KINDS) this.views.set(kind, { kind, count: 0, lastMessage: "", lastAt: 0, context: {} });
  }

  /**
   * Counts `n` events of `kind`, remembers this one and logs it — unless an event with the same
   * `key` (e.g. the receiver and reason) was logged less than the interval ago.
   */
  report(kind: TelemetryKind, key: string, message: string, context: Readonly<Record<string, string>>, n = 1): void {
    const now = this.note(kind, message, context, n);
    const id = `${kind}\u0000${key}`;
    const k = this.keys.get(id);
    if (k && (now - k.lastLogged) / 1000 < this.intervalMs) {
      k.held += n;
      return;
    }
    const held = k?.held ?? 0;
    this.keys.delete(id);
    this.keys.set(id, { lastLogged: now, held: 0 });
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
    const more = held > 0 ? ` (+${held} more since the last report)` : "";
    const level = kind === "message_drop" ? "warn" : "error";
    this.logger[level](message + more, { event: kind, ...context });
  }

  /** Counts and remembers an event that was already logged elsewhere (no log line). Returns now. */
  note(kind: TelemetryKind, message: string, context: Readonly<Record<string, string>>, n = 1): number {
    const now = this.clock();
    const v = this.views.get(kind)!;
    v.count += n;
    v.lastMessage = message;
    v.lastAt = now;
    v.context = { ...context };
    return now;
  }

  /** Every kind, in TELEMETRY_KINDS order. */
  snapshot(): TelemetryView[] {
    return TELEMETRY_KINDS.map((k) => ({ ...this.views.get(k)! }));
  }
}
