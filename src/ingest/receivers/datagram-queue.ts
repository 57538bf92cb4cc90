/**
 * DatagramQueue: where a datagram receiver keeps datagrams while the ingest pipeline is full.
 * A UDP sender cannot be paused, so whatever arrives while appends stall (a group commit's
 * fsync on a busy disk, a wait for a seal slot) must be held or dropped. Queued as pipeline
 * records each costs ~0.5 KB of objects; held here it costs its bytes copied into 1 MiB blocks
 * plus a few numbers, so the same memory rides out a stall ~4x longer. Bounded by bytes
 * (`capacityBytes` of blocks); a datagram that finds no room is refused and the caller counts it.
 * Order is kept: once anything is held, new datagrams queue behind it. Held datagrams are
 * handed on (`deliver`, the receiver's normal per-datagram path) as the pipeline makes room,
 * and all at once by `flush()` when the listener closes, so none is lost uncounted. What it
 * holds is added to the receiver's `HeldTally` (its counters: status and metrics show it).
 */

import type { IngestPipeline } from "../pipeline/pipeline.ts";

/** Default bytes of datagrams held while the pipeline is full. */
export const DEFAULT_DATAGRAM_QUEUE_BYTES = 32 << 20;
const BLOCK_BYTES = 1 << 20;

/** The receiver's handling of one datagram (parse and push into the pipeline). */
export type DeliverDatagram = (datagram: Uint8Array, remote: string, receivedAt: number) => void;

/** Datagrams and their bytes held now, summed over a receiver's queues (one per UDP listener). */
export interface HeldTally {
  heldDatagrams: number;
  heldDatagramBytes: number;
}

/** Datagrams copied into one block, read from `next`. */
interface Block {
  bytes: Uint8Array;
  used: number;
  ends: number[];
  remotes: string[];
  times: number[];
  next: number;
}

export class DatagramQueue {
  private readonly blocks: Block[] = [];
  private held = 0;
  private waiting = false;
  /** The last remote held, so a sender's address string is kept once, not per datagram. */
  private lastRemote = "";

  constructor(
    private readonly capacityBytes: number,
    private readonly pipeline: IngestPipeline,
    private readonly deliver: DeliverDatagram,
    private readonly tally: HeldTally,
  ) {}

  /** Datagrams held now. */
  get size(): number {
    return this.held;
  }

  /**
   * Delivers `datagram` now while nothing is held and the pipeline has room; otherwise holds a
   * copy. False when there is no room (the caller counts the drop).
   */
  offer(datagram: Uint8Array, remote: string, receivedAt: number): boolean {
    if (this.held === 0 && !this.pipeline.full) {
      this.deliver(datagram, remote, receivedAt);
      return true;
    }
    if (!this.hold(datagram, remote, receivedAt)) return false;
    this.drainWhenSpace();
    return true;
  }

  /** Delivers everything held, room or not (the listener is closing; pipeline.push never refuses). */
  flush(): void {
    this.drain(true);
  }

  private hold(d: Uint8Array, remote: string, receivedAt: number): boolean {
    let b = this.blocks[this.blocks.length - 1];
    if (!b || b.used + d.length > b.bytes.length) {
      if ((this.blocks.length + 1) * BLOCK_BYTES > this.capacityBytes || d.length > BLOCK_BYTES) return false;
      b = { bytes: new Uint8Array(BLOCK_BYTES), used: 0, ends: [], remotes: [], times: [], next: 0 };
      this.blocks.push(b);
    }
    b.bytes.set(d, b.used);
    b.used += d.length;
    b.ends.push(b.used);
    if (remote !== this.lastRemote) this.lastRemote = remote;
    b.remotes.push(this.lastRemote);
    b.times.push(receivedAt);
    this.held++;
    this.tally.heldDatagrams++;
    this.tally.heldDatagramBytes += d.length;
    return true;
  }

  private drainWhenSpace(): void {
    if (this.waiting) return;
    this.waiting = true;
    void this.pipeline.whenSpace().then(() => {
      this.waiting = false;
      this.drain(false);
      if (this.held > 0) this.drainWhenSpace();
    });
  }

  /**
   * Hands held datagrams on in order until the pipeline is full (or all of them with `all`).
   * A finished block is dropped from the queue; records still pointing into it keep it alive
   * until they are appended.
   */
  private drain(all: boolean): void {
    while (this.held > 0 && (all || !this.pipeline.full)) {
      const b = this.blocks[0]!;
      const i = b.next++;
      const start = i === 0 ? 0 : b.ends[i - 1]!;
      this.held--;
      this.tally.heldDatagrams--;
      this.tally.heldDatagramBytes -= b.ends[i]! - start;
      if (b.next === b.ends.length) this.blocks.shift();
      this.deliver(b.bytes.subarray(start, b.ends[i]!), b.remotes[i]!, b.times[i]!);
    }
  }
}
