/**
 * Acknowledgements that follow durability, for protocols whose client waits for an ack per
 * unit (a Fluent Forward chunk, a Beats event): units are queued in arrival order with the
 * pipeline sequence range of their records, and handed back in the same order once their
 * records are durable — in one burst per group commit that completes any, so a long run of
 * units (a big Beats window) is acknowledged piece by piece while it is still being written.
 */

import type { IngestPipeline } from "../pipeline/pipeline.ts";

interface Pending<T> {
  first: number;
  last: number;
  unit: T;
}

export class DurableAcks<T> {
  private queue: Pending<T>[] = [];
  private head = 0;
  private waiting = false;
  private closed = false;

  /**
   * `settled` gets units in arrival order: `ok` false when an append of one of their records
   * failed (the caller decides: no ack, close the connection, ...).
   */
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly settled: (units: T[], ok: boolean) => void,
  ) {}

  /**
   * Queues a unit whose records are pipeline sequences `first..last`; a unit without records
   * passes `first = last + 1` (it is acked once everything queued before it is).
   */
  add(first: number, last: number, unit: T): void {
    if (this.closed) return;
    this.queue.push({ first, last, unit });
    this.wait();
  }

  /** The connection is gone: nothing more is reported. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.head = 0;
  }

  private wait(): void {
    if (this.waiting || this.closed || this.head === this.queue.length) return;
    this.waiting = true;
    // Wake at the first settle that completes the oldest unit, then release all that settled:
    // one burst per group commit, so a long run of units gets partial acks as it is written.
    void this.pipeline.whenDurable(this.queue[this.head]!.last).then(() => this.release(this.pipeline.settled));
  }

  /** Everything up to pipeline seq `last` has settled: hand back the units it completes. */
  private release(last: number): void {
    this.waiting = false;
    if (this.closed) return;
    const ready: T[] = [];
    let failed = false;
    while (this.head < this.queue.length && this.queue[this.head]!.last <= last) {
      const p = this.queue[this.head]!;
      if (p.first <= p.last && this.pipeline.failedWithin(p.first, p.last)) {
        failed = true;
        break;
      }
      ready.push(p.unit);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (ready.length > 0) this.settled(ready, true);
    if (failed) {
      const rest = this.queue.slice(this.head).map((p) => p.unit);
      this.close();
      this.settled(rest, false);
      return;
    }
    this.wait();
  }
}
