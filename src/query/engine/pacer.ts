/**
 * Keeps a query from holding the event loop: work runs in slices of a few milliseconds, and
 * between slices the query yields so receivers, acks, health checks, follow streams and other
 * queries run. Also where a query notices its client went away or its timeout passed: every
 * check looks at the abort signal, so a cancelled or timed-out query stops within one slice. One Pacer per query, shared by its
 * source, stages and sink.
 */

import { LogError } from "../../core/errors.ts";

/** Milliseconds of work per slice before yielding to the event loop. */
export const SLICE_MS = 2;

export class Pacer {
  private sliceStart = performance.now();

  constructor(
    private readonly signal?: AbortSignal,
    private readonly budgetMs = SLICE_MS,
  ) {}

  /** True when the slice is used up or the query was cancelled: the caller should `pause()`. */
  due(): boolean {
    return this.signal?.aborted === true || performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** Yields one event-loop turn (I/O and timers run) and starts a new slice; throws once cancelled. */
  async pause(): Promise<void> {
    this.throwIfCancelled();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.throwIfCancelled();
    this.sliceStart = performance.now();
  }

  /** `pause()` when due; otherwise returns at once (no await cost worth naming). */
  async tick(): Promise<void> {
    if (this.due()) await this.pause();
  }

  /** A query's own timeout (or a token's limit) aborts with a LogError saying so; anything else is a cancel. */
  private throwIfCancelled(): void {
    if (!this.signal?.aborted) return;
    const reason: unknown = this.signal.reason;
    throw reason instanceof LogError ? reason : new LogError("cancelled", "query cancelled");
  }
}
