/**
 * The file ChunkStore (layout and rules in format.ts). Appends stage records into the active
 * chunk and resolve on commit; rotation hands the old chunk to the Sealer while a new one
 * starts at once (its first commit follows the old chunk's last); a finished seal swaps the
 * chunk to its segment, updates the catalog and deletes the active files. A seal that fails
 * leaves the chunk readable as active data and is tried again with backoff while the store
 * runs (seal-retry.ts), and at the next open.
 * Construct through openFileStore (open-store.ts).
 */

import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CorruptError, errorMessage, LogError } from "../../core/errors.ts";
import { newChunkId, type ChunkId } from "../../core/ids.ts";
import { settlesWithin } from "../../core/settles.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import { AttrsEncoder } from "../attrs-encoder.ts";
import { StoreEvents } from "../events.ts";
import { resolveStoreOptions, type LivePolicy, type ResolvedStoreOptions } from "../options.ts";
import { ageExceeded, mustRotate } from "../rotation.ts";
import { SegmentReader } from "../segment/reader.ts";
import type { SegmentWriteOptions } from "../segment/writer.ts";
import type { ChunkMeta, ChunkReader, ChunkStore, DurabilityPolicy, StoreEvent, WaitingSeal } from "../types.ts";
import { checkBatch } from "../validate.ts";
import { ActiveChunk, type FileSync } from "./active-chunk.ts";
import type { Catalog } from "./catalog.ts";
import { ActiveChunkReader, openSealedReader } from "./chunk-readers.ts";
import { ACTIVE_DIR, SEALED_DIR, SEGMENT_EXT } from "./format.ts";
import type { DirLock } from "./lock.ts";
import { activeMeta, summaryMeta } from "./meta.ts";
import type { RecoveryReport } from "./recovery.ts";
import { SealRetries, type SealRetryPolicy } from "./seal-retry.ts";
import type { Sealer } from "./sealer.ts";
import { SegmentCache } from "./segment-cache.ts";
import type { ByteCache } from "../byte-cache.ts";

/** Chunks that may be sealing at once before appends wait (bounds memory and disk backlog). */
export const MAX_PENDING_SEALS = 2;
/**
 * A rotated chunk at least this large makes the appending thread collect its heap once the
 * chunk's entries are released: a chunk's worth of ingest garbage (parsed records, attribute
 * maps, the entries and the buffers they outgrew) is otherwise held until JavaScriptCore's own
 * collection, which lets the heap grow to several times its live size. Syslog TCP at 100k
 * msgs/s for 60 s into the compiled server (32 MiB chunks, one a second), 3 rounds interleaved
 * with main's binary: peak RSS (VmHWM) 235-288 -> 223-225 MiB, median of the 1 s samples
 * 162-177 -> 140-145, server CPU 45.8-47.3 -> 46.2-46.9 s (one full collection a second).
 * Small chunks (tests, age rotations) are not worth one.
 */
const COLLECT_AFTER_ROTATION_BYTES = 8 << 20;
/**
 * Default longest wait of an append for a seal slot before it is refused: a normal 64 MiB seal
 * takes seconds, so this only fires when a seal is stuck (a hung seal worker must not freeze
 * ingest silently; the refused appends are counted and the error names the sealing chunks).
 */
export const DEFAULT_SEAL_SLOT_WAIT_MS = 60_000;

/** Resolved options of one FileStore (built by openFileStore). */
export interface FileStoreConfig extends ResolvedStoreOptions {
  dir: string;
  durability: DurabilityPolicy;
  segment: SegmentWriteOptions;
  sealer: Sealer;
  ownsSealer: boolean;
  /** Longest an append waits for a seal slot before it is refused (ms). */
  sealSlotWaitMs: number;
  /** Backoff of failed seals while the store runs. */
  sealRetry: SealRetryPolicy;
  catalogRefreshMs: number;
  /** Decoded blocks, shared with the rest of the process. */
  cache: ByteCache;
  /** How active chunk files are fsynced (undefined: ActiveChunk's default). */
  sync: FileSync | undefined;
}

/** A chunk as the store tracks it: `active` while unsealed, else its sealed/corrupt meta. */
export interface StoreChunk {
  meta: ChunkMeta;
  active?: ActiveChunk;
  error?: CorruptError;
}

/** The file ChunkStore, plus sweep(), dir and the recovery report. */
export class FileStore implements ChunkStore {
  readonly name: string;
  private readonly events: StoreEvents;
  private readonly enc = new AttrsEncoder();
  /** Seals in progress and when each started (performance.now()). */
  private readonly sealing = new Map<Promise<Error | undefined>, { chunk: ChunkId; since: number }>();
  /** The active chunk being created, when there is none yet (see activeChunk). */
  private creating: Promise<ActiveChunk> | undefined;
  /** The commits of the chunk rotated last, which the next chunk's first commit follows. */
  private rotatedCommits: Promise<void> | undefined;
  /** A refused append was logged since the last seal slot freed (one line per stall). */
  private stallLogged = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastCatalogPut = 0;
  private readonly segments = new SegmentCache();
  /** Chunks whose seal failed, waiting for their next attempt. */
  private readonly retries: SealRetries;
  private closed = false;

  /** @internal use openFileStore. */
  constructor(
    private readonly o: FileStoreConfig,
    private readonly lock: DirLock,
    private readonly catalog: Catalog,
    private readonly map: Map<ChunkId, StoreChunk>,
    private active: ActiveChunk | undefined,
    reseal: ActiveChunk[],
    /** What open() found and repaired. */
    readonly recovery: RecoveryReport,
  ) {
    this.name = o.name;
    this.events = new StoreEvents(o.logger);
    this.retries = new SealRetries(o.sealRetry, (id, failures) => this.retrySeal(id, failures));
    if (active) this.hook(active);
    for (const c of reseal) this.track(this.sealChunk(c), c.id);
    this.startSyncTimer();
  }

  /**
   * Takes over changed policies (LivePolicy): rotation from the next append, codec/level from
   * the next seal. A durability change seals the active chunk, so the next chunk starts under
   * the new policy and no chunk mixes two.
   */
  async reconfigure(p: LivePolicy): Promise<void> {
    this.checkOpen();
    this.o.rotation = resolveStoreOptions({ rotation: p.rotation }).rotation;
    this.o.segment = { ...this.o.segment, codec: p.codec ?? this.o.segment.codec, level: p.level ?? this.o.segment.level };
    const d = p.durability;
    if (d === undefined || JSON.stringify(d) === JSON.stringify(this.o.durability)) return;
    this.o.durability = d;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.startSyncTimer();
    if (this.active) await this.seal();
  }

  /** The store directory. */
  get dir(): string {
    return this.o.dir;
  }

  async append(batch: readonly RecordInput[]): Promise<RecordRef[]> {
    this.checkOpen();
    checkBatch(this.name, batch);
    // Ingest may not outrun sealing for long: past MAX_PENDING_SEALS, appends wait for one.
    if (this.sealing.size >= MAX_PENDING_SEALS) await this.waitForSealSlot();
    const now = this.o.clock();
    const policy = this.o.rotation;
    let c = this.active;
    if (c && (c.failed || (c.stats.records > 0 && ageExceeded(policy, c.createdAt, now)))) {
      this.rotate();
      c = undefined;
    }
    const refs: RecordRef[] = new Array(batch.length);
    const commits: Promise<void>[] = [];
    let writeTs = c ? Math.max(now, c.lastWriteTs) : now;
    try {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        const attrLen = this.enc.encode(r.attrs);
        // A loop: while this append awaits a new chunk, other appends may fill and rotate it
        // (then it is no longer the active one, and this append has staged nothing in it).
        while (!c || c !== this.active || mustRotate(policy, c.stats.records, c.stats.bytes, c.stats.rawBytes, c.stats.attrBytes, r.raw.length, attrLen)) {
          if (c && c === this.active) {
            commits.push(c.flush());
            this.rotate();
          }
          c = undefined; // if the creation fails, the catch below must not flush a rotated chunk
          c = await this.activeChunk(now);
          writeTs = Math.max(now, c.lastWriteTs);
          // The attrs encoder is shared: another append may have used it while this one waited.
          this.enc.encode(r.attrs);
        }
        refs[i] = { chunk: c.id, pos: c.stage(r.raw, this.enc.bytes, attrLen, writeTs, r.ingestTs, r.sourceTs) };
      }
    } catch (err) {
      // Records staged before the failure must still reach the files in order: a prefix of
      // this batch may be stored although the append rejects.
      if (c) commits.push(c.flush());
      for (const p of commits) p.catch(() => {});
      throw err;
    }
    if (c) commits.push(c.flush());
    await Promise.all(commits);
    return refs;
  }

  async seal(): Promise<ChunkId | undefined> {
    this.checkOpen();
    const c = this.active;
    if (!c) return undefined;
    const err = await this.rotate();
    if (err) throw err;
    return c.id;
  }

  /** Seals a non-empty active chunk older than the rotation maxAge (for a background timer). */
  async sweep(): Promise<ChunkId | undefined> {
    const c = this.active;
    if (this.closed || !c || c.stats.records === 0 || !ageExceeded(this.o.rotation, c.createdAt, this.o.clock())) return undefined;
    const err = await this.rotate();
    if (err) throw err;
    return c.id;
  }

  chunks(): ChunkMeta[] {
    return [...this.map.values()].map((e) => this.metaOf(e));
  }

  chunk(id: ChunkId): ChunkMeta | undefined {
    const e = this.map.get(id);
    return e && this.metaOf(e);
  }

  open(id: ChunkId): ChunkReader {
    const e = this.map.get(id);
    if (!e) throw new LogError("not_found", `chunk ${id} not found in store ${this.name}`);
    // The reader describes the chunk it reads: an active reader stays unsealed even after the
    // seal finishes under it, so planners never pair sealed metadata with active data.
    const c = e.active;
    if (c) return new ActiveChunkReader(c, () => activeMeta(c, this.name));
    if (e.error) throw e.error;
    return openSealedReader(this.segments, this.segmentPath(id), e.meta, this.o.cache, (err) => this.markCorrupt(id, err));
  }

  async delete(id: ChunkId): Promise<void> {
    this.checkOpen();
    const e = this.map.get(id);
    if (!e) throw new LogError("not_found", `chunk ${id} not found in store ${this.name}`);
    if (e.active) throw new LogError("invalid_argument", `chunk ${id} is ${e.active.state}; only sealed chunks can be deleted`);
    this.segments.evict(id);
    this.o.cache.evictPrefix(SegmentReader.cacheKeyPrefix(this.segmentPath(id)));
    rmSync(this.segmentPath(id), { force: true });
    this.map.delete(id);
    this.catalog.remove(id);
    this.events.emit({ kind: "deleted", chunk: id });
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  async idle(): Promise<void> {
    while (this.sealing.size > 0) await Promise.all(this.sealing.keys());
  }

  /** Chunks whose seal failed and that wait for their next attempt (status and metrics). */
  sealRetries(): WaitingSeal[] {
    return this.retries.list();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.retries.close();
    try {
      await this.creating?.catch(() => {});
      await this.idle();
      const c = this.active;
      if (c) {
        await c.close();
        this.catalog.put(activeMeta(c, this.name));
      }
      if (this.o.ownsSealer) await this.o.sealer.close();
    } finally {
      this.segments.clear();
      this.catalog.close();
      this.lock.release();
    }
  }

  private startSyncTimer(): void {
    const d = this.o.durability;
    if (d.kind !== "interval") return;
    this.timer = setInterval(() => void this.active?.syncIfDirty(), d.everyMs);
    this.timer.unref();
  }

  /** A chunk's meta; one waiting for a seal retry carries when (sealRetry). */
  private metaOf(e: StoreChunk): ChunkMeta {
    if (!e.active) return e.meta;
    const meta = activeMeta(e.active, this.name);
    const w = this.retries.get(e.active.id);
    return w ? { ...meta, sealRetry: { failures: w.failures, at: w.at } } : meta;
  }

  /**
   * The active chunk, created when there is none. Creation is asynchronous (its fsyncs run off
   * the event loop), so appends arriving meanwhile share the one in flight.
   */
  private activeChunk(now: number): Promise<ActiveChunk> {
    if (this.active) return Promise.resolve(this.active);
    this.creating ??= ActiveChunk.create(join(this.o.dir, ACTIVE_DIR), newChunkId(), now, { durability: this.o.durability, sync: this.o.sync }, this.rotatedCommits).then(
      (c) => {
        this.creating = undefined;
        this.hook(c);
        this.map.set(c.id, { meta: activeMeta(c, this.name), active: c });
        this.putActive(c);
        this.active = c;
        return c;
      },
      (err: unknown) => {
        this.creating = undefined;
        throw err;
      },
    );
    return this.creating;
  }

  private hook(c: ActiveChunk): void {
    c.onCommit = (x) => this.committed(x);
    const observer = this.o.observer;
    if (observer.synced) c.onSync = (ms) => observer.synced!(ms);
  }

  private committed(c: ActiveChunk): void {
    this.events.emit({ kind: "appended", chunk: c.id, count: c.committed });
    const now = Date.now();
    if (now - this.lastCatalogPut >= this.o.catalogRefreshMs) {
      this.lastCatalogPut = now;
      this.putActive(c); // inside the chunk's commit cycle, which must not throw
    }
  }

  /**
   * Records unsealed chunk `c`'s meta in the catalog. The chunk's files are its truth (the
   * catalog saves reading them at open), so a failed write (a busy or full disk) is a warning:
   * it must not leave a commit cycle, a rotation or a new chunk half done.
   */
  private putActive(c: ActiveChunk): void {
    try {
      this.catalog.put(activeMeta(c, this.name));
    } catch (err) {
      this.o.logger("warn", `store ${this.name}: could not record chunk ${c.id} in the catalog (its files stay the truth): ${errorMessage(err)}`);
    }
  }

  /** Moves the active chunk to "sealing" and starts its seal; resolves to the seal's error. */
  private rotate(): Promise<Error | undefined> {
    const c = this.active!;
    this.active = undefined;
    // Every record staged in c has had its flush() (appends flush before they rotate or
    // await), so this settles once each is committed or rejected with the failed chunk.
    this.rotatedCommits = c.drain().catch(() => {});
    c.state = "sealing";
    this.putActive(c);
    return this.track(this.sealChunk(c), c.id);
  }

  private track(p: Promise<Error | undefined>, chunk: ChunkId): Promise<Error | undefined> {
    this.sealing.set(p, { chunk, since: performance.now() });
    void p.then(() => {
      this.sealing.delete(p);
      this.stallLogged = false;
    });
    return p;
  }

  /**
   * Waits until fewer than MAX_PENDING_SEALS seals run, at most `sealSlotWaitMs`; past that the
   * append is refused ("unavailable", retryable) with the chunks that are sealing and for how
   * long, told to the observer (a metric) and logged once per stall.
   */
  private async waitForSealSlot(): Promise<void> {
    const deadline = performance.now() + this.o.sealSlotWaitMs;
    while (this.sealing.size >= MAX_PENDING_SEALS) {
      const left = deadline - performance.now();
      if (left <= 0 || !(await settlesWithin(Promise.race(this.sealing.keys()), left))) break;
    }
    if (this.sealing.size < MAX_PENDING_SEALS) return;
    const now = performance.now();
    const busy = [...this.sealing.values()].map((s) => `${s.chunk} for ${((now - s.since) / 1000).toFixed(1)} s`).join(", ");
    const message = `store ${this.name}: append refused after waiting ${(this.o.sealSlotWaitMs / 1000).toFixed(1)} s for a seal slot; still sealing: ${busy} (a seal that does not finish points to a hung seal worker)`;
    this.o.observer.sealSlotTimeout?.(this.o.sealSlotWaitMs);
    if (!this.stallLogged) this.o.logger("error", message);
    this.stallLogged = true;
    throw new LogError("unavailable", message);
  }

  /**
   * Starts another attempt at sealing chunk `id` (failed `failures` times) if a seal slot is
   * free; undefined when none is (SealRetries tries again later).
   */
  private retrySeal(id: ChunkId, failures: number): Promise<unknown> | undefined {
    const c = this.map.get(id)?.active;
    if (!c) return Promise.resolve();
    if (this.sealing.size >= MAX_PENDING_SEALS) return undefined;
    return this.track(this.sealChunk(c, failures), id);
  }

  /** Seals `c` (`failedBefore`: earlier failed attempts); resolves to the error of a failed seal. */
  private async sealChunk(c: ActiveChunk, failedBefore = 0): Promise<Error | undefined> {
    const e = this.map.get(c.id)!;
    try {
      await c.close();
      c.releaseEntries();
      if (c.stats.bytes >= COLLECT_AFTER_ROTATION_BYTES) Bun.gc(true);
      if (c.committed === 0) {
        rmSync(c.dir, { recursive: true, force: true });
        this.map.delete(c.id);
        this.catalog.remove(c.id);
        return undefined;
      }
      const path = this.segmentPath(c.id);
      const segment = this.o.segment;
      const t0 = performance.now();
      const summary = await this.o.sealer.seal({
        chunkId: c.id,
        createdAt: c.createdAt,
        activeDir: c.dir,
        segmentPath: path,
        records: c.committed,
        segment,
      });
      const st = statSync(path);
      e.meta = summaryMeta(c.id, this.name, c.createdAt, { ...summary, codec: segment.codec });
      e.active = undefined;
      this.catalog.put(e.meta, st.size, st.mtimeMs);
      await this.removeSealedActive(c.dir);
      for (const msg of summary.sectionErrors) this.o.logger("error", `store ${this.name}: chunk ${c.id} index section failed: ${msg}`);
      this.o.observer.sealed?.({ chunk: c.id, millis: performance.now() - t0, indexMillis: summary.indexMillis, sections: summary.sections, errors: summary.sectionErrors });
      this.events.emit({ kind: "sealed", chunk: c.id });
      return undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const failures = failedBefore + 1;
      const retry = this.closed ? "retried at next open" : `failure ${failures}, retried at ${new Date(this.retries.schedule(c.id, failures)).toISOString()} and at next open`;
      this.o.logger("error", `store ${this.name}: sealing chunk ${c.id} failed (kept as active data, ${retry}): ${errorMessage(err)}`);
      this.o.observer.sealFailed?.(errorMessage(err));
      return error;
    }
  }

  /**
   * Deletes the active files of a sealed chunk off the event loop: unlinking tens of MB blocks
   * for a while on a busy disk, and appends must go on meanwhile. Left behind (an error, a
   * crash), they are removed at the next open: the complete segment says the seal finished.
   * node:fs/promises is loaded here, on the first seal, not when a store opens to be read.
   */
  private async removeSealedActive(dir: string): Promise<void> {
    try {
      const { rm } = await import("node:fs/promises");
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      this.o.logger("warn", `store ${this.name}: could not remove ${dir} (its seal is complete; it is removed at the next open): ${errorMessage(err)}`);
    }
  }

  private markCorrupt(id: ChunkId, err: CorruptError): void {
    const e = this.map.get(id);
    if (!e || e.active || e.error) return;
    e.error = err;
    e.meta = { ...e.meta, state: "corrupt" };
    this.segments.evict(id);
    this.o.cache.evictPrefix(SegmentReader.cacheKeyPrefix(this.segmentPath(id)));
    this.o.logger("error", `store ${this.name}: chunk ${id} is corrupt and skipped: ${err.message}`);
    if (this.closed) return;
    try {
      const st = statSync(err.path);
      this.catalog.put(e.meta, st.size, st.mtimeMs);
    } catch {
      this.catalog.put(e.meta);
    }
  }

  /** Path of sealed chunk `id`'s segment file (other threads open it read-only). */
  segmentPath(id: ChunkId): string {
    return join(this.o.dir, SEALED_DIR, id + SEGMENT_EXT);
  }

  private checkOpen(): void {
    if (this.closed) throw new LogError("unavailable", `store ${this.name} is closed`);
  }
}
