/**
 * FileFollower: follows every file its glob patterns match, the way tail -F does, for the
 * tail, Docker json-file and Kubernetes receivers. Finds files by scanning (at start, every
 * scanMs, and soon after a directory event), reads appends when inotify (fs.watch, recursive
 * on each pattern's base directory) reports a change or the poll timer (pollMs) sees growth.
 * Rotation: a renamed or deleted file stays open and is read to its end, then closed after
 * rotateWaitMs without growth; the new file at the path is read from its start; a file
 * truncated in place (copytruncate) or rewritten starts over, and its copy is read from where
 * the old content had been read (rotation.ts decides what to do with rotated siblings).
 * Records go through the Checkpointer, so positions are committed only once durable.
 */

import { watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "../../core/errors.ts";
import type { Checkpointer } from "../checkpoint/checkpointer.ts";
import type { ReceiverCounters } from "../pipeline/counters.ts";
import type { IngestPipeline } from "../pipeline/pipeline.ts";
import { liveFiles, rotatedFiles, type FilePattern } from "./discovery.ts";
import { parseFileMeta } from "./identity.ts";
import { RotationHandler } from "./rotation.ts";
import { REPLACED, TrackedFile, type FileSetup } from "./tracked-file.ts";
import { openLive, type OpenRequest } from "./open-file.ts";

/** Bytes read per chunk: one window of records (the length limit fits in one chunk). */
export const READ_CHUNK = (1 << 20) + 1;
/** Checkpoint rows of files not seen for this long (µs) are forgotten. */
const FORGET_AFTER_US = 24 * 3600 * 1_000_000;
const FORGET_EVERY_MS = 10 * 60_000;
/** A directory event triggers a scan this much later (events come in bursts). */
const SCAN_DEBOUNCE_MS = 20;

export interface FollowerOptions extends FileSetup {
  patterns: FilePattern[];
  /** Files present at the first start of this receiver: "end" skips their current content. */
  start: "beginning" | "end";
  /** Read rotated files never seen before (plain and .gz), once each. */
  readRotated: boolean;
  /** Use inotify (fs.watch); false = polling only. */
  watch: boolean;
  pollMs: number;
  scanMs: number;
  rotateWaitMs: number;
  /** Held partial or multi-line records are handed out after this long without new data. */
  flushMs: number;
  /** Follow this live file? (e.g. container filters); default all. */
  accept?: (livePath: string) => boolean;
}

export interface FollowerContext {
  checkpointer: Checkpointer;
  pipeline: IngestPipeline;
  /** `bytes` counts what was read. */
  counters: ReceiverCounters;
  /** Non-fatal problems (unreadable files, watch limits); the follower carries on. */
  onError: (message: string) => void;
  /** Epoch µs. */
  clock: () => number;
}

export class FileFollower {
  private readonly files = new Map<string, TrackedFile>();
  /** Live files by the path they are at now (directory events name paths). */
  private readonly byPath = new Map<string, TrackedFile>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly rotation: RotationHandler;
  private timers: ReturnType<typeof setInterval>[] = [];
  private scanTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private firstScan = true;
  private lastForget = 0;
  private readonly fresh: boolean;
  private readonly aborter = new AbortController();

  constructor(
    private readonly o: FollowerOptions,
    private readonly ctx: FollowerContext,
  ) {
    this.fresh = ctx.checkpointer.sources().length === 0;
    this.rotation = new RotationHandler(o, ctx, this.files, {
      track: (f) => this.track(f),
      readGz: this.aborter.signal,
    });
  }

  /** Scans once (files present now are opened), then watches and polls until stop(). */
  async start(): Promise<void> {
    this.scan();
    this.timers.push(setInterval(() => this.pollAll(), this.o.pollMs));
    this.timers.push(setInterval(() => this.requestScan(0), this.o.scanMs));
  }

  /** Stops watching and reading; open files are closed, held lines stay unread (re-read next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.aborter.abort();
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.scanTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.rotation.idle();
    while ([...this.files.values()].some((f) => f.busy)) await new Promise((r) => setTimeout(r, 5));
    for (const f of this.files.values()) f.close();
    this.files.clear();
    this.byPath.clear();
  }

  /** An append of this source's records failed: reopen it at its committed position. */
  rewind(key: string): void {
    const f = this.files.get(key);
    if (f) this.close(f);
    this.requestScan(this.o.pollMs);
  }

  private requestScan(delay: number): void {
    if (this.stopped || this.scanTimer !== undefined) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      this.scan();
    }, delay);
  }

  private scan(): void {
    if (this.stopped) return;
    try {
      this.scanOnce();
    } catch (err) {
      this.ctx.onError(`scan failed: ${errorMessage(err)}`);
    }
  }

  private scanOnce(): void {
    this.ensureWatches();
    const live = liveFiles(this.o.patterns).filter((p) => this.o.accept?.(p) ?? true);
    const seen = new Set<string>();
    const liveKeys = new Set<string>();
    for (const path of live) {
      const f = openLive(this.request(path));
      if (f === undefined) continue;
      seen.add(f.key);
      liveKeys.add(f.key);
      if (f.tracked) this.track(f.tracked);
      const t = this.files.get(f.key)!;
      if (t.meta.path !== path) t.meta = { ...t.meta, path };
      t.live = true;
      this.byPath.set(path, t);
    }
    for (const t of this.files.values()) {
      if (t.live && !liveKeys.has(t.key)) {
        t.live = false;
        t.lastData = performance.now();
        if (this.byPath.get(t.meta.path) === t) this.byPath.delete(t.meta.path);
      }
    }
    // Rotated siblings of the live files, and of files known from earlier runs.
    const names = new Set(live);
    for (const s of this.ctx.checkpointer.sources()) {
      const m = parseFileMeta(this.ctx.checkpointer.row(s)?.meta ?? "");
      if (m && !m.retired) names.add(m.path);
    }
    for (const r of rotatedFiles([...names])) {
      const key = this.rotation.consider(r);
      if (key !== undefined) seen.add(key);
    }
    this.firstScan = false;
    this.forget(seen);
    this.pollAll();
  }

  /** How openLive should treat a live path found now. */
  private request(path: string): OpenRequest {
    return {
      path,
      open: this.files,
      checkpointer: this.ctx.checkpointer,
      setup: this.o,
      startAtEnd: this.fresh && this.firstScan && this.o.start === "end",
      onError: this.ctx.onError,
    };
  }

  private track(f: TrackedFile): void {
    this.files.set(f.key, f);
  }

  private ensureWatches(): void {
    if (!this.o.watch) return;
    for (const p of this.o.patterns) {
      if (this.watchers.has(p.base)) continue;
      try {
        const w = watch(p.base, { recursive: true }, (event, name) => this.onEvent(p.base, event, name));
        w.on("error", () => {
          w.close();
          this.watchers.delete(p.base);
        });
        this.watchers.set(p.base, w);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== "ENOENT") this.ctx.onError(`cannot watch ${p.base} (${errorMessage(err)}); polling every ${this.o.pollMs} ms`);
      }
    }
  }

  /** A change to a followed file is read at once; anything else (creation, rename) rescans. */
  private onEvent(base: string, event: string, name: string | Buffer | null): void {
    if (this.stopped) return;
    const f = name === null ? undefined : this.byPath.get(join(base, String(name)));
    if (f) void this.drain(f);
    if (!f || event === "rename") this.requestScan(SCAN_DEBOUNCE_MS);
  }

  private pollAll(): void {
    if (this.stopped) return;
    for (const f of [...this.files.values()]) void this.drain(f);
  }

  /** Reads a file to its current end (one drain per file at a time), then handles timeouts. */
  private async drain(f: TrackedFile): Promise<void> {
    if (f.busy) {
      f.again = true;
      return;
    }
    f.busy = true;
    try {
      do {
        f.again = false;
        await this.readAvailable(f);
      } while (f.again && !this.stopped);
      if (!this.stopped) this.afterEof(f);
    } catch (err) {
      this.ctx.onError(`reading ${f.meta.path}: ${errorMessage(err)}`);
      this.close(f);
    } finally {
      f.busy = false;
    }
  }

  private async readAvailable(f: TrackedFile): Promise<void> {
    const p = this.ctx.pipeline;
    for (;;) {
      if (this.stopped || f.fd < 0) return;
      if (p.full) await p.whenSpace();
      const n = f.readChunk(READ_CHUNK);
      if (n === 0) return;
      if (n === REPLACED) {
        await this.rotation.replaced(f, (x) => this.push(x));
        continue;
      }
      this.ctx.counters.bytes += n;
      this.push(f);
      await new Promise((res) => setImmediate(res));
    }
  }

  private afterEof(f: TrackedFile): void {
    const idle = performance.now() - f.lastData;
    if (!f.live && idle >= this.o.rotateWaitMs) {
      f.stream.finish();
      this.push(f);
      this.close(f);
      return;
    }
    if (f.stream.holding && idle >= this.o.flushMs) {
      f.stream.flushHeld();
      this.push(f);
    }
  }

  private push(f: TrackedFile): void {
    const w = f.stream.take();
    if (!w) return;
    this.ctx.checkpointer.push(f.key, w.records, w.position, JSON.stringify(f.meta));
    f.lastPosition = w.position;
  }

  private close(f: TrackedFile): void {
    f.close();
    if (this.files.get(f.key) === f) this.files.delete(f.key);
    if (this.byPath.get(f.meta.path) === f) this.byPath.delete(f.meta.path);
  }

  /** Forgets rows of files not seen in this scan for a day (every few minutes). */
  private forget(seen: Set<string>): void {
    const now = performance.now();
    if (now - this.lastForget < FORGET_EVERY_MS) return;
    this.lastForget = now;
    const cp = this.ctx.checkpointer;
    const before = this.ctx.clock() - FORGET_AFTER_US;
    for (const s of cp.sources()) {
      const row = cp.row(s)!;
      if (!seen.has(s) && !this.files.has(s) && row.pending.length === 0 && row.seenAt < before) cp.forget(s);
    }
  }
}
