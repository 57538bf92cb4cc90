/**
 * Exactly-once hand-off from a readable source (files, journal, container logs) to the ingest
 * pipeline. A source reads a window of records ending at a position and calls push(); each
 * record gets a unique ingestTs from the receiver's clock, the window is recorded as pending in
 * SQLite BEFORE its records enter the queue, and the position is committed once the pipeline
 * says they are durable. After a crash, recover() asks the stores (Recall) for the newest
 * stored ingestTs of this receiver: every pending window up to it counts as stored, a window
 * it falls inside is stored up to that record (so `skip` records are dropped on re-read), the
 * rest are read again. Without a Recall (no stores to ask) pending windows are re-read:
 * at-least-once. Routes that send one record to several stores can duplicate into the store
 * that was behind at the crash.
 */

import type { Attrs, RecordInput } from "../../core/record.ts";
import type { ReceiverCounters } from "../pipeline/counters.ts";
import type { IngestPipeline } from "../pipeline/pipeline.ts";
import type { PendingWindow, ReceiverPositions, SourceRow } from "./positions.ts";

/**
 * The greatest ingestTs ≥ `since` among stored records whose attr `receiver` is
 * `receiverId`, or 0 when there is none. Implemented by the composition root over the stores.
 */
export type Recall = (receiverId: string, since: number) => Promise<number>;

/** A record being built by a source; push() sets ingestTs. */
export interface Draft {
  raw: Uint8Array;
  attrs: Attrs;
  sourceTs: number;
  ingestTs: number;
}

/** Told when an append failed: the source must re-read from `row.position` (+ `row.skip`). */
export type RewindFn = (row: Readonly<SourceRow>) => void;

interface State extends SourceRow {
  /** Bumped by a failed append: later results of older windows are ignored. */
  generation: number;
}

export class Checkpointer {
  private readonly rows = new Map<string, State>();
  private outstanding = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly sourceWaiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly positions: ReceiverPositions,
    private readonly pipeline: IngestPipeline,
    private readonly counters: ReceiverCounters,
    private readonly clock: () => number,
    private readonly onRewind: RewindFn = () => {},
  ) {}

  /**
   * Loads the saved rows and settles windows left pending by a crash (see the header); returns
   * how many windows were pending and how many of their records the stores already held.
   */
  async recover(recall: Recall | undefined): Promise<{ pending: number; stored: number }> {
    const rows = this.positions.rows();
    const open = rows.filter((r) => r.pending.some((w) => w.n > 0));
    const since = Math.min(...open.map((r) => r.pending.find((w) => w.n > 0)!.t0));
    const stored = open.length > 0 && recall ? await recall(this.positions.receiver, since) : 0;
    const summary = { pending: 0, stored: 0 };
    for (const r of rows) {
      if (r.pending.length > 0) {
        summary.pending += r.pending.length;
        summary.stored += storedIn(r.pending, stored);
        settle(r, stored);
        this.positions.put(r);
      }
      this.rows.set(r.source, { ...r, generation: 0 });
    }
    return summary;
  }

  /** A source's saved state (after recover), or undefined for one never seen. */
  row(source: string): Readonly<SourceRow> | undefined {
    return this.rows.get(source);
  }

  /** Every known source key. */
  sources(): string[] {
    return [...this.rows.keys()];
  }

  /**
   * Sets a source's position without records (a new file starting at its end, identity
   * changes): written now when nothing is pending, else queued behind the pending windows.
   */
  set(source: string, position: string, meta: string, skip = 0): void {
    const r = this.rows.get(source);
    if (r === undefined || r.pending.length === 0) {
      const row: State = { source, position, skip, pending: [], meta, seenAt: this.clock(), generation: r?.generation ?? 0 };
      this.rows.set(source, row);
      this.positions.put(row);
      return;
    }
    void this.push(source, [], position, meta);
  }

  /**
   * Queues a window of records that ends at source position `to`; `meta` replaces the row's
   * metadata. The position is committed when the records are durable. Resolves true once it
   * is, false when an append failed first (the source is rewound) or the row was replaced.
   * `below`: how many leading records lie below the row's position + skip (see PendingWindow).
   */
  push(source: string, records: Draft[], to: string, meta?: string, below = 0): Promise<boolean> {
    let r = this.rows.get(source);
    if (r === undefined) {
      r = { source, position: to, skip: 0, pending: [], meta: meta ?? "{}", seenAt: 0, generation: 0 };
      this.rows.set(source, r);
    }
    const row = r;
    if (meta !== undefined) row.meta = meta;
    row.seenAt = this.clock();
    const n = records.length;
    const w: PendingWindow = below > 0 ? { t0: 0, n, to, below } : { t0: 0, n, to };
    this.positions.batch(() => {
      w.t0 = n > 0 ? this.positions.reserve(n, this.clock()) : 0;
      row.pending.push(w);
      this.positions.put(row);
    });
    const first = this.pipeline.lastSeq + 1;
    let seq = first - 1;
    for (let i = 0; i < n; i++) {
      const d = records[i]!;
      d.ingestTs = w.t0 + i;
      seq = this.pipeline.push(d as RecordInput, this.counters);
    }
    const generation = row.generation;
    this.outstanding++;
    return this.pipeline.whenDurable(seq).then((lastOk) => {
      // A window cut across two appends is durable only if the earlier one succeeded too.
      const ok = lastOk && (n === 0 || !this.pipeline.failedWithin(first, seq));
      const current = row.generation === generation && this.rows.get(source) === row;
      if (current) {
        if (ok) this.commit(row, w);
        else this.fail(row);
      }
      if (--this.outstanding === 0) for (const f of this.idleWaiters.splice(0)) f();
      return current && ok;
    });
  }

  /** Drops a source's row (its file is gone for good). */
  forget(source: string): void {
    const r = this.rows.get(source);
    if (r === undefined) return;
    this.rows.delete(source);
    this.positions.delete(source);
  }

  /** Resolves when no window of `source` is pending any more (committed or failed). */
  sourceSettled(source: string): Promise<void> {
    const r = this.rows.get(source);
    if (r === undefined || r.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const ws = this.sourceWaiters.get(source) ?? [];
      ws.push(resolve);
      this.sourceWaiters.set(source, ws);
    });
  }

  /** Resolves when every pushed window has been committed (or failed). */
  settled(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private commit(row: State, w: PendingWindow): void {
    const i = row.pending.indexOf(w);
    if (i < 0) return;
    row.pending.splice(0, i + 1);
    row.position = w.to;
    row.skip = 0;
    this.positions.put(row);
    if (row.pending.length === 0) this.wakeSource(row.source);
  }

  private wakeSource(source: string): void {
    const ws = this.sourceWaiters.get(source);
    if (ws === undefined) return;
    this.sourceWaiters.delete(source);
    for (const f of ws) f();
  }

  private fail(row: State): void {
    row.generation++;
    row.pending = [];
    this.positions.put(row);
    this.wakeSource(row.source);
    this.onRewind(row);
  }
}

/** Records of `windows` at or before the newest stored ingestTs. */
function storedIn(windows: readonly PendingWindow[], stored: number): number {
  let n = 0;
  for (const w of windows) if (w.n > 0 && stored >= w.t0) n += Math.min(w.n, stored - w.t0 + 1);
  return n;
}

/** Applies the stores' answer to a row's pending windows (recovery; exported for tests). */
export function settle(r: SourceRow, stored: number): void {
  for (const w of r.pending) {
    if (w.n === 0 || stored >= w.t0 + w.n - 1) {
      r.position = w.to;
      r.skip = 0;
      continue;
    }
    if (stored >= w.t0) r.skip += Math.max(0, stored - w.t0 + 1 - (w.below ?? 0));
    break;
  }
  r.pending = [];
}
