/**
 * SealRetries: chunks whose seal failed while the store runs (a worker died, a seal job timed
 * out, ENOSPC), waiting to be sealed again. Each waits with backoff (`firstMs`, doubling per
 * failure up to `maxMs`); when its time comes it is started only if the store gives it a seal
 * slot, and at most one retry runs at a time, so retries never take the slots appends need for
 * rotation (the store refuses while MAX_PENDING_SEALS seals run; the chunk then waits `firstMs`
 * more, not counted as a failure). `close()` clears every timer.
 */

import type { ChunkId } from "../../core/ids.ts";
import type { WaitingSeal } from "../types.ts";

/** Backoff of failed seals while the store runs. */
export interface SealRetryPolicy {
  /** Wait after the first failure, ms. */
  firstMs: number;
  /** Longest wait between attempts, ms. */
  maxMs: number;
}

/** 1 s after the first failure, doubling up to 5 minutes. */
export const DEFAULT_SEAL_RETRY: SealRetryPolicy = { firstMs: 1000, maxMs: 300_000 };

/**
 * Starts the seal of `chunk` (which failed `failures` times) and returns it, or undefined when
 * no seal slot is free now.
 */
export type StartSeal = (chunk: ChunkId, failures: number) => Promise<unknown> | undefined;

export class SealRetries {
  private readonly waiting = new Map<ChunkId, WaitingSeal & { timer: ReturnType<typeof setTimeout> }>();
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly policy: SealRetryPolicy,
    private readonly start: StartSeal,
  ) {}

  /** Chunks waiting for a retry. */
  list(): WaitingSeal[] {
    return [...this.waiting.values()].map(({ chunk, failures, at }) => ({ chunk, failures, at }));
  }

  /** The wait of `chunk`, or undefined when it does not wait for a retry (a retry running counts as sealing). */
  get(chunk: ChunkId): WaitingSeal | undefined {
    const w = this.waiting.get(chunk);
    return w && { chunk, failures: w.failures, at: w.at };
  }

  /** Schedules the next attempt of `chunk` after its `failures`-th failure; returns when (epoch ms). */
  schedule(chunk: ChunkId, failures: number): number {
    const delay = Math.min(this.policy.firstMs * 2 ** Math.min(failures - 1, 30), this.policy.maxMs);
    this.wait(chunk, failures, delay);
    return this.waiting.get(chunk)!.at;
  }

  /** Stops every pending retry (the store is closing; the chunks are sealed at the next open). */
  close(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
  }

  private wait(chunk: ChunkId, failures: number, delay: number): void {
    clearTimeout(this.waiting.get(chunk)?.timer);
    const timer = setTimeout(() => this.due(chunk, failures), delay);
    timer.unref();
    this.waiting.set(chunk, { chunk, failures, at: Date.now() + delay, timer });
  }

  private due(chunk: ChunkId, failures: number): void {
    const seal = this.running ? undefined : this.start(chunk, failures);
    if (!seal) return this.wait(chunk, failures, this.policy.firstMs);
    this.waiting.delete(chunk);
    const running = seal.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    running.catch(() => {});
  }
}
