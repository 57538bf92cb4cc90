/**
 * The bidirectional cursor, shared by every ChunkReader: a forward index (what
 * next() returns) and a reverse index (prev() returns the record before it). next() re-reads
 * the count each call, so a cursor over an active chunk sees later appends; the reverse index
 * starts at the count observed when the cursor was made.
 */

import type { LogRecord } from "../core/record.ts";
import type { Cursor } from "./types.ts";

/** What a cursor needs from its reader. */
export interface CursorSource {
  count(): number;
  record(pos: number): LogRecord;
  lowerBoundWriteTs(ts: number): number;
}

/** Cursor over any CursorSource; see the file header for its rules. */
export class ChunkCursor implements Cursor {
  private fwd = 0;
  private rev: number;

  constructor(private readonly src: CursorSource) {
    this.rev = src.count();
  }

  next(): LogRecord | undefined {
    if (this.fwd >= this.src.count()) return undefined;
    return this.src.record(this.fwd++);
  }

  prev(): LogRecord | undefined {
    const n = this.src.count();
    if (this.rev > n) this.rev = n;
    if (this.rev <= 0) return undefined;
    return this.src.record(--this.rev);
  }

  /** Sets both indexes; negative positions clamp to 0. */
  seek(pos: number): void {
    const p = pos > 0 ? Math.floor(pos) : 0;
    this.fwd = p;
    this.rev = p;
  }

  seekTime(ts: number): void {
    this.seek(this.src.lowerBoundWriteTs(ts));
  }
}

/** First index in [0, n) whose value (via `at`) is >= ts, or n. For sorted writeTs columns. */
export function lowerBound(n: number, ts: number, at: (i: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(mid) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
