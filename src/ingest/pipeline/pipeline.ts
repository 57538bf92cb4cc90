/**
 * The ingest pipeline: one bounded queue shared by all receivers, cut into batches for one
 * Appender with at most one append in flight. Records arriving while an append runs form the
 * next batch, so many connections share one fsync (group commit). Under a steady stream the next
 * batch lingers while the queue keeps growing (up to LINGER_MS from the previous batch's start,
 * or until it holds LINGER_RECORDS): at 100k msgs/s paced syslog TCP, ~500 commit cycles/s of
 * ~170 records became ~90 of ~1000 and the process's CPU per message fell by ~30% (fsyncs and
 * writes per cycle dominate small batches). A queue that stops growing, e.g. window-limited
 * senders waiting for acks, is appended at once. Every record gets a sequence
 * number; `whenDurable(seq)` lets acknowledging protocols answer only after their append
 * resolved. `full` / `whenSpace()` drive backpressure (TCP pauses, HTTP 429, UDP drops).
 * Limits (core/limits.ts) are enforced here, once, for every receiver. Memory stays bounded
 * under sustained load: the queue holds at most 16k records / 16 MiB (stream receivers pause,
 * HTTP refuses past that; datagrams wait as bytes in their receiver's DatagramQueue).
 */

import { errorMessage } from "../../core/errors.ts";
import { enforceLimits } from "../../core/limits.ts";
import type { RecordInput } from "../../core/record.ts";
import type { Appender } from "./appender.ts";
import type { ReceiverCounters } from "./counters.ts";

/** Queue bounds and batch size. */
export interface PipelineOptions {
  /** Queued (not yet appending) records at which `full` turns true. Default 16384. */
  maxQueuedRecords?: number;
  /** Queued raw bytes at which `full` turns true. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Most records per append call. Default 8192. */
  maxBatchRecords?: number;
  /** Told about every failed append (the records are counted as dropped "append_failed"). */
  onError?: (message: string) => void;
  /** Told when a batch starts its append: its size and how long its oldest record waited (ms). */
  onBatch?: (records: number, oldestWaitMillis: number) => void;
}

/** Pipeline-wide figures for status. */
export interface PipelineStats {
  queued: number;
  queuedBytes: number;
  appending: number;
  batches: number;
  appended: number;
  appendErrors: number;
}

/**
 * Default queue bounds: two full batches waiting behind the one appending. Enough to keep the
 * store busy (group commit); more only adds memory (~0.5 KB of objects per queued record).
 */
export const DEFAULT_MAX_QUEUED_RECORDS = 16384;
export const DEFAULT_MAX_QUEUED_BYTES = 16 << 20;
/** Per-record overhead added to raw length when bounding queued bytes. */
const RECORD_OVERHEAD = 64;
/** Failed sequence ranges remembered for late `whenDurable` calls. */
const FAILED_RANGES_KEPT = 64;
/** Longest a growing queue waits for its batch, counted from the previous batch's start (ms). */
const LINGER_MS = 10;
/** Queued records from which a batch goes at once; fewer than LINGER_MIN never linger. */
const LINGER_RECORDS = 1024;
const LINGER_MIN = 64;
/** How often a lingering queue is checked for growth (ms). */
const LINGER_CHECK_MS = 1;

interface Waiter {
  seq: number;
  resolve: (durable: boolean) => void;
}

export class IngestPipeline {
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly maxBatch: number;
  private readonly onError: (message: string) => void;
  private readonly onBatch: ((records: number, oldestWaitMillis: number) => void) | undefined;
  private queue: RecordInput[] = [];
  private owners: ReceiverCounters[] = [];
  private times: number[] = [];
  private queuedBytes = 0;
  private appending = 0;
  private scheduled = false;
  /** Sequence number the next pushed record gets. */
  private nextSeq = 1;
  /** Every record with seq <= settledSeq has been appended or has failed. */
  private settledSeq = 0;
  private readonly failed: [number, number][] = [];
  private waiters: Waiter[] = [];
  private spaceWaiters: (() => void)[] = [];
  private batches = 0;
  private appended = 0;
  private appendErrors = 0;
  /** When the last batch started (performance.now()). */
  private lastFlushAt = 0;
  /** Queue length at the last linger check; -1 when not lingering. */
  private lingerSeen = -1;

  constructor(
    private readonly appender: Appender,
    options: PipelineOptions = {},
  ) {
    this.maxRecords = options.maxQueuedRecords ?? DEFAULT_MAX_QUEUED_RECORDS;
    this.maxBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.maxBatch = options.maxBatchRecords ?? 8192;
    this.onError = options.onError ?? (() => {});
    this.onBatch = options.onBatch;
  }

  /** True while the queue is at its bound: TCP receivers pause, HTTP answers 429, UDP datagrams wait in their receiver's DatagramQueue. */
  get full(): boolean {
    return this.queue.length >= this.maxRecords || this.queuedBytes >= this.maxBytes;
  }

  /** Sequence number of the last record pushed (0 before the first). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Queues one record (limits enforced and counted on `owner`) and returns its sequence number.
   * Never refuses: callers check `full` first where they can still refuse input.
   */
  push(record: RecordInput, owner: ReceiverCounters): number {
    const r = enforceLimits(record, owner.limits);
    this.queue.push(r);
    this.owners.push(owner);
    this.times.push(performance.now());
    this.queuedBytes += r.raw.length + RECORD_OVERHEAD;
    owner.messages++;
    if (this.appending === 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return this.nextSeq++;
  }

  /** Every record with a sequence number up to this one has been appended or has failed. */
  get settled(): number {
    return this.settledSeq;
  }

  /** Resolves once the queue has room again (at or below half its bounds). */
  whenSpace(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Resolves true once record `seq` is durable, false if its append failed. */
  whenDurable(seq: number): Promise<boolean> {
    if (seq <= this.settledSeq) return Promise.resolve(!this.isFailed(seq));
    return new Promise((resolve) => {
      const ws = this.waiters;
      let i = ws.length;
      while (i > 0 && ws[i - 1]!.seq > seq) i--;
      if (i === ws.length) ws.push({ seq, resolve });
      else ws.splice(i, 0, { seq, resolve });
    });
  }

  /**
   * True if an append of any record in `first..last` failed. Meaningful once `whenDurable(last)`
   * resolved (a range can span batches; the last 64 failed batches are remembered).
   */
  failedWithin(first: number, last: number): boolean {
    for (const [a, b] of this.failed) if (a <= last && b >= first) return true;
    return false;
  }

  /** Resolves when every record pushed so far has been appended (or failed). */
  async drain(): Promise<void> {
    await this.whenDurable(this.lastSeq);
  }

  stats(): PipelineStats {
    return {
      queued: this.queue.length,
      queuedBytes: this.queuedBytes,
      appending: this.appending,
      batches: this.batches,
      appended: this.appended,
      appendErrors: this.appendErrors,
    };
  }

  /**
   * After an append: a queue that keeps growing under load lingers (see the file header),
   * checked every LINGER_CHECK_MS; otherwise the next batch starts now.
   */
  private readonly next = (): void => {
    this.scheduled = false;
    const n = this.queue.length;
    if (this.appending > 0 || n === 0) return;
    const waited = performance.now() - this.lastFlushAt;
    const growing = this.lingerSeen < 0 || n > this.lingerSeen;
    if (n >= LINGER_MIN && n < LINGER_RECORDS && growing && waited < LINGER_MS) {
      this.lingerSeen = n;
      this.scheduled = true;
      setTimeout(this.next, LINGER_CHECK_MS);
      return;
    }
    this.flush();
  };

  private readonly flush = (): void => {
    this.scheduled = false;
    this.lingerSeen = -1;
    if (this.appending > 0 || this.queue.length === 0) return;
    const n = Math.min(this.queue.length, this.maxBatch);
    let batch: RecordInput[];
    let owners: ReceiverCounters[];
    let times: number[];
    if (n === this.queue.length) {
      batch = this.queue;
      owners = this.owners;
      times = this.times;
      this.queue = [];
      this.owners = [];
      this.times = [];
    } else {
      batch = this.queue.splice(0, n);
      owners = this.owners.splice(0, n);
      times = this.times.splice(0, n);
    }
    const now = performance.now();
    this.lastFlushAt = now;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      owners[i]!.queueWaitMicros += Math.round((now - times[i]!) * 1000);
      bytes += batch[i]!.raw.length + RECORD_OVERHEAD;
    }
    this.queuedBytes -= bytes;
    this.appending = n;
    const last = this.settledSeq + n;
    if (this.onBatch) {
      try {
        this.onBatch(n, now - times[0]!);
      } catch (err) {
        this.report(`batch observer failed: ${errorMessage(err)}`);
      }
    }
    this.startAppend(batch).then(
      () => this.settle(owners, last, true),
      (err: unknown) => {
        this.settle(owners, last, false);
        this.report(`append of ${n} records failed: ${errorMessage(err)}`);
      },
    );
    this.wakeSpace();
  };

  /**
   * The appender's promise for `batch`. A synchronous throw becomes a rejection: left to escape,
   * it would keep `appending` set forever and never wake `whenSpace`, so paused connections
   * would stay paused with the queue empty.
   */
  private startAppend(batch: RecordInput[]): Promise<void> {
    try {
      return this.appender.append(batch);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Tells onError; a throwing sink must not stop the queue (it runs inside flush and settle). */
  private report(message: string): void {
    try {
      this.onError(message);
    } catch {
      // Nothing left to tell: the failure is still counted (appendErrors, append_failed drops).
    }
  }

  private settle(owners: ReceiverCounters[], last: number, ok: boolean): void {
    const n = owners.length;
    this.batches++;
    if (ok) {
      this.appended += n;
      for (let i = 0; i < n; i++) owners[i]!.stored++;
    } else {
      this.appendErrors++;
      for (let i = 0; i < n; i++) owners[i]!.drop("append_failed");
      this.failed.push([this.settledSeq + 1, last]);
      if (this.failed.length > FAILED_RANGES_KEPT) this.failed.shift();
    }
    this.settledSeq = last;
    this.appending = 0;
    let k = 0;
    while (k < this.waiters.length && this.waiters[k]!.seq <= last) k++;
    if (k > 0) {
      const done = this.waiters.splice(0, k);
      for (const w of done) w.resolve(ok);
    }
    if (this.queue.length > 0 && !this.scheduled) this.next();
  }

  private wakeSpace(): void {
    if (this.spaceWaiters.length === 0) return;
    if (this.queue.length > this.maxRecords / 2 || this.queuedBytes > this.maxBytes / 2) return;
    const ws = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of ws) w();
  }

  private isFailed(seq: number): boolean {
    for (const [a, b] of this.failed) if (seq >= a && seq <= b) return true;
    return false;
  }
}
