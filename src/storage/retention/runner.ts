/**
 * RetentionRunner: applies each store's retention policy (policy.ts) in the background — on an
 * interval, after every seal, and on demand — deleting whole sealed chunks through
 * ChunkStore.delete (readers that hold a deleted chunk keep working until they close it).
 * Sweeps never overlap; requests during a sweep coalesce into one follow-up sweep. Every
 * deletion is logged and counted by reason.
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import { systemClock, type Clock } from "../../core/time.ts";
import type { StoreLogger } from "../options.ts";
import type { ChunkStore } from "../types.ts";
import { keepsEverything, selectExpired, type RetentionPolicy, type RetentionReason } from "./policy.ts";

/** One store under retention. */
export interface RetentionTarget {
  name: string;
  store: ChunkStore;
  policy: RetentionPolicy;
}

export interface RetentionRunnerOptions {
  /** Period of background sweeps; default 60 000 ms. */
  intervalMs?: number;
  /** Also sweep (coalesced) whenever a target store seals a chunk; default true. */
  sweepAfterSeal?: boolean;
  clock?: Clock;
  logger?: StoreLogger;
}

export interface Deletion {
  store: string;
  id: ChunkId;
  reason: RetentionReason;
  storedBytes: number;
}

export interface SweepResult {
  /** The stores the sweep looked at (in sweep order), whether or not it deleted anything. */
  stores: string[];
  deleted: Deletion[];
  /** Deletions that failed (the chunk stays; the next sweep tries again). */
  errors: { store: string; id: ChunkId; message: string }[];
}

export interface RetentionStats {
  sweeps: number;
  deleted: Record<RetentionReason, number>;
  bytesFreed: number;
  errors: number;
  /** Epoch µs of the last finished sweep; 0 before the first. */
  lastSweepAt: number;
}

export class RetentionRunner {
  private targets: readonly RetentionTarget[] = [];
  private unsubscribe: (() => void)[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<SweepResult> | undefined;
  private started = false;
  private readonly clock: Clock;
  private readonly log: StoreLogger;
  private readonly counters: RetentionStats = { sweeps: 0, deleted: { age: 0, chunks: 0, bytes: 0 }, bytesFreed: 0, errors: 0, lastSweepAt: 0 };

  constructor(
    targets: readonly RetentionTarget[],
    private readonly options: RetentionRunnerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? (() => {});
    this.setTargets(targets);
  }

  /** Replaces the stores and policies (after a config change); the next sweep uses them. */
  setTargets(targets: readonly RetentionTarget[]): void {
    for (const t of targets) {
      const p = t.policy;
      if (![p.maxAgeMicros, p.maxBytes, p.maxChunks].every((x) => Number.isFinite(x) && x >= 0)) {
        throw new LogError("invalid_argument", `retention policy of store ${t.name} must be finite numbers >= 0, got ${JSON.stringify(p)}`);
      }
    }
    this.targets = [...targets];
    if (this.started) this.subscribe();
  }

  /** Starts interval sweeps (and sweeps after seals). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.subscribe();
    this.timer = setInterval(() => void this.sweepNow().catch((err) => this.log("error", `retention sweep failed: ${errorMessage(err)}`)), this.options.intervalMs ?? 60_000);
    this.timer.unref?.();
  }

  /** Stops background sweeps and waits for a running one to finish. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    await this.chain;
  }

  /** Runs a sweep over every target now (after any running one); resolves with what it did. */
  sweepNow(): Promise<SweepResult> {
    if (this.queued) return this.queued;
    const p = this.chain.then(() => {
      this.queued = undefined;
      return this.sweep();
    });
    this.queued = p;
    this.chain = p.catch(() => {});
    return p;
  }

  stats(): RetentionStats {
    return structuredClone(this.counters);
  }

  private subscribe(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (this.options.sweepAfterSeal === false) return;
    for (const t of this.targets) {
      if (keepsEverything(t.policy)) continue;
      this.unsubscribe.push(
        t.store.subscribe((e) => {
          if (e.kind === "sealed") void this.sweepNow().catch((err) => this.log("error", `retention sweep failed: ${errorMessage(err)}`));
        }),
      );
    }
  }

  private async sweep(): Promise<SweepResult> {
    const result: SweepResult = { stores: this.targets.map((t) => t.name), deleted: [], errors: [] };
    const now = this.clock();
    for (const t of this.targets) {
      for (const x of selectExpired(t.store.chunks(), t.policy, now)) {
        try {
          await t.store.delete(x.id);
        } catch (err) {
          if (err instanceof LogError && err.code === "not_found") continue; // deleted meanwhile
          result.errors.push({ store: t.name, id: x.id, message: errorMessage(err) });
          this.counters.errors++;
          this.log("error", `retention: store ${t.name}: could not delete chunk ${x.id}: ${errorMessage(err)}`);
          continue;
        }
        result.deleted.push({ store: t.name, ...x });
        this.counters.deleted[x.reason]++;
        this.counters.bytesFreed += x.storedBytes;
        this.log("info", `retention: store ${t.name}: deleted chunk ${x.id} (${x.reason}, ${x.storedBytes} bytes)`);
      }
    }
    this.counters.sweeps++;
    this.counters.lastSweepAt = this.clock();
    return result;
  }
}
