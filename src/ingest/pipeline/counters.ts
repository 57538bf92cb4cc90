/**
 * Per-receiver counters: plain mutable numbers bumped on hot paths (no closures, no maps per
 * record) and a `snapshot()` for status. Drop reasons are a small open set of strings; every
 * drop is also told to `onDrop` (the receiver logs them, rate-limited).
 */

import { noViolations, type LimitViolations } from "../../core/limits.ts";

/** Why input was dropped instead of stored; every drop is counted under one of these. */
export type DropReason =
  | "queue_full"
  | "append_failed"
  | "oversize"
  | "empty"
  | "decode_failed"
  | "incomplete"
  | "evicted"
  | "duplicate_chunk"
  | "protocol"
  | "unsupported"
  | "truncated";

/** Told about every drop; `detail` says what was wrong and from whom, when the caller knows. */
export type DropListener = (reason: DropReason, n: number, bytes: number, detail?: string) => void;

/** A point-in-time copy of a receiver's counters. */
export interface CounterSnapshot {
  /** Records accepted into the ingest queue. */
  messages: number;
  /** Bytes received on the wire (after TLS, before decompression). */
  bytes: number;
  /** Records stored with a `parse_error` attr, plus undecodable frames. */
  parseErrors: number;
  /**
   * Input dropped, by reason: counts of messages, or of frames/chunks where no message exists;
   * `truncated` counts messages stored cut short (their cut-off bytes are in droppedBytes).
   */
  dropped: Record<string, number>;
  /** Bytes discarded by drops (oversize tails, malformed frames, incomplete GELF sets). */
  droppedBytes: number;
  /** Records the store made durable. */
  stored: number;
  /** Messages acknowledged to clients (RELP rsp, HTTP wait-ack) after they were durable. */
  acked: number;
  /** Messages a client resent after a reconnect that had already been stored (RELP). */
  duplicates: number;
  /** Sum over stored records of the time between queueing and the start of their append. */
  queueWaitMicros: number;
  /** enforceLimits changes: truncated raws, truncated attrs, dropped attrs. */
  limits: LimitViolations;
  /** Currently open connections (TCP-based protocols). */
  connections: number;
  /** Datagrams held now while the ingest queue is full, and their bytes (UDP; datagram-queue.ts). */
  heldDatagrams: number;
  heldDatagramBytes: number;
  /** TLS clients refused by the client-certificate policy (mTLS). */
  tlsRejected: number;
}

/** Mutable counters of one receiver. */
export class ReceiverCounters {
  messages = 0;
  bytes = 0;
  parseErrors = 0;
  droppedBytes = 0;
  stored = 0;
  acked = 0;
  duplicates = 0;
  queueWaitMicros = 0;
  connections = 0;
  heldDatagrams = 0;
  heldDatagramBytes = 0;
  tlsRejected = 0;
  readonly limits: LimitViolations = noViolations();
  /** Told about every drop (set by the receiver that owns these counters). */
  onDrop: DropListener | undefined;
  private readonly drops = new Map<string, number>();

  /**
   * Counts `n` dropped items and the bytes they held. `n` is 0 only for more bytes of an item
   * already counted (the rest of an oversize frame arriving later).
   */
  drop(reason: DropReason, n = 1, bytes = 0, detail?: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + n);
    this.droppedBytes += bytes;
    this.onDrop?.(reason, n, bytes, detail);
  }

  /** Total drops of one reason (0 when none). */
  dropped(reason: DropReason): number {
    return this.drops.get(reason) ?? 0;
  }

  snapshot(): CounterSnapshot {
    return {
      messages: this.messages,
      bytes: this.bytes,
      parseErrors: this.parseErrors,
      dropped: Object.fromEntries([...this.drops].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      droppedBytes: this.droppedBytes,
      stored: this.stored,
      acked: this.acked,
      duplicates: this.duplicates,
      queueWaitMicros: this.queueWaitMicros,
      limits: { ...this.limits },
      connections: this.connections,
      heldDatagrams: this.heldDatagrams,
      heldDatagramBytes: this.heldDatagramBytes,
      tlsRejected: this.tlsRejected,
    };
  }
}
