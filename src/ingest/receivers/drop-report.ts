/**
 * Rate-limited log lines for dropped input: the first drop after a quiet second is reported at
 * once (with its detail), later ones are tallied per reason and reported together when the
 * second is over, so a flood of bad input costs one line a second and nothing goes unsaid.
 * Counters see every drop; this only decides what is logged.
 */

import type { DropReason } from "../pipeline/counters.ts";

/** At most one drop report per receiver per this many ms. */
export const DROP_REPORT_MS = 1000;

interface Tally {
  items: number;
  bytes: number;
}

export class DropReport {
  private last = -Infinity;
  private readonly tally = new Map<DropReason, Tally>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `emit` gets one line per report; `now` is wall-clock ms (injectable for tests). */
  constructor(
    private readonly emit: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** One drop as counted; reported now or in the next summary. */
  add(reason: DropReason, n: number, bytes: number, detail?: string): void {
    const t = this.now();
    if (t - this.last >= DROP_REPORT_MS && this.tally.size === 0) {
      this.last = t;
      this.emit(`dropped input: ${describe(reason, n, bytes)}${detail ? `: ${detail}` : ""}`);
      return;
    }
    const e = this.tally.get(reason);
    if (e) {
      e.items += n;
      e.bytes += bytes;
    } else this.tally.set(reason, { items: n, bytes });
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.last + DROP_REPORT_MS - t));
    this.timer.unref?.();
  }

  /** Reports what is tallied (at once); called by the timer and on stop. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.tally.size === 0) return;
    const parts = [...this.tally].map(([reason, e]) => describe(reason, e.items, e.bytes));
    this.tally.clear();
    this.last = this.now();
    this.emit(`dropped input since the last report: ${parts.join(", ")}`);
  }
}

/** "oversize 2 (4096 bytes)": the reason, how many items (as in status) and their bytes. */
function describe(reason: DropReason, n: number, bytes: number): string {
  return `${reason} ${n} (${bytes} bytes)`;
}
