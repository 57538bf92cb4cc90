/**
 * The writable side of one active chunk (format.ts): stages a batch into reused buffers, writes
 * raw and attrs with one positioned write each, and commits entries per durability policy —
 * "batch" runs group-commit cycles (fsync raw+attrs, write entries, fsync entries) shared by
 * every append that arrives while one is in flight; a chunk's first entries wait for the
 * commits of the chunk before it. An I/O error fails the chunk: pending appends reject and the
 * store rotates away, keeping the committed prefix.
 */

import { closeSync, fsync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LogError, errorMessage } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import { ChunkStats } from "../stats.ts";
import type { DurabilityPolicy } from "../types.ts";
import { ActiveData } from "./active-data.ts";
import { EntryColumns } from "./entry-columns.ts";
import { ATTRS_FILE, ENTRIES_FILE, ENTRY_BYTES, encodeHeader, HEADER_BYTES, RAW_FILE, TMP_SUFFIX } from "./format.ts";

/** Staged payload bytes that force an early data write within one large append. */
const STAGE_FLUSH_BYTES = 4 << 20;

/** State of a chunk reopened by recovery. */
export interface RecoveredChunk {
  id: ChunkId;
  dir: string;
  createdAt: number;
  entries: EntryColumns;
  count: number;
  stats: ChunkStats;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** fsyncs one open file or directory, `path` (the store's tests hold one back to open a crash window). */
export type FileSync = (fd: number, path: string) => Promise<void>;

/** How an active chunk's appends reach the disk. */
export interface ChunkWriting {
  durability: DurabilityPolicy;
  /** Default: fsync in the fs thread pool (fsyncOffLoop). */
  sync?: FileSync;
}

/** Writer, commit pipeline and in-memory entries of one active chunk; see the file header. */
export class ActiveChunk {
  state: "active" | "sealing" = "active";
  /** Records with positions assigned; >= committed. */
  staged: number;
  /** Records visible to readers (durable under the "batch" policy). */
  committed: number;
  failed: Error | undefined;
  readonly stats: ChunkStats;
  /** Called after each commit with the new committed count; must not throw (the cycle's waiters would never settle). */
  onCommit: (c: ActiveChunk) => void = () => {};
  /** Told how long each group-commit cycle (fsyncs and the entries write) took, in ms. */
  onSync: (millis: number) => void = () => {};
  private written: number;
  private rawEnd: number;
  private attrEnd: number;
  private rawFileEnd: number;
  private attrFileEnd: number;
  private rawStage: Uint8Array = new Uint8Array(64 << 10);
  private rawStageLen = 0;
  private attrStage: Uint8Array = new Uint8Array(16 << 10);
  private attrStageLen = 0;
  private waiters: Waiter[] = [];
  private cycle: Promise<void> | undefined;
  /** What the first entries write waits for: the commits of the chunk before this one (create). */
  private follows: Promise<void> | undefined;
  private dirty = false;
  private fds: { entries: number; raw: number; attrs: number } | undefined;
  /** The entries in memory; undefined once released (see releaseEntries). */
  private columns: EntryColumns | undefined;
  /** Readers open on this chunk (ActiveChunkReader). */
  private readers = 0;
  private readonly durability: DurabilityPolicy;
  private readonly sync: FileSync;

  private constructor(
    readonly id: ChunkId,
    readonly dir: string,
    readonly createdAt: number,
    entries: EntryColumns,
    count: number,
    stats: ChunkStats,
    writing: ChunkWriting,
  ) {
    this.durability = writing.durability;
    this.sync = writing.sync ?? fsyncOffLoop;
    this.columns = entries;
    this.staged = this.committed = this.written = count;
    this.stats = stats;
    this.rawEnd = this.rawFileEnd = count === 0 ? 0 : entries.rawEnd(count - 1);
    this.attrEnd = this.attrFileEnd = count === 0 ? 0 : entries.attrEnd(count - 1);
    this.fds = {
      entries: openSync(join(dir, ENTRIES_FILE), "r+"),
      raw: openSync(join(dir, RAW_FILE), "r+"),
      attrs: openSync(join(dir, ATTRS_FILE), "r+"),
    };
  }

  /**
   * Creates `<activeRoot>/<id>/` atomically (temp dir, synced headers, rename, synced parent).
   * The four fsyncs run in the fs thread pool: on a busy disk they take tens of ms, which on
   * the event loop stalled every receiver (UDP datagrams pile up in the kernel meanwhile).
   * `follows`: the commits of the chunk this one replaces (its drain()). No entry of this chunk
   * is written before they are done, so what a crash leaves is a prefix of what was appended
   * (an append crossing the rotation, or one staged here while the old chunk's last commit
   * still syncs, would otherwise make later records durable before earlier ones).
   */
  static async create(activeRoot: string, id: ChunkId, createdAt: number, writing: ChunkWriting, follows?: Promise<void>): Promise<ActiveChunk> {
    const sync = writing.sync ?? fsyncOffLoop;
    const dir = join(activeRoot, id);
    const tmp = dir + TMP_SUFFIX;
    mkdirSync(tmp);
    const files: { fd: number; path: string }[] = [];
    try {
      for (const [name, kind] of [[ENTRIES_FILE, "entries"], [RAW_FILE, "raw"], [ATTRS_FILE, "attrs"]] as const) {
        const path = join(tmp, name);
        const fd = openSync(path, "wx");
        files.push({ fd, path });
        writeSync(fd, encodeHeader(kind, createdAt));
      }
      await Promise.all(files.map((f) => sync(f.fd, f.path)));
    } finally {
      for (const f of files) closeSync(f.fd);
    }
    renameSync(tmp, dir);
    const root = openSync(activeRoot, "r");
    try {
      await sync(root, activeRoot);
    } finally {
      closeSync(root);
    }
    const chunk = new ActiveChunk(id, dir, createdAt, new EntryColumns(), 0, new ChunkStats(), writing);
    chunk.follows = follows;
    return chunk;
  }

  static reopen(r: RecoveredChunk, writing: ChunkWriting): ActiveChunk {
    return new ActiveChunk(r.id, r.dir, r.createdAt, r.entries, r.count, r.stats, writing);
  }

  /**
   * The committed entries, in memory. A closed chunk whose entries were released reads them
   * back from its entries file here (once; kept while readers use them).
   */
  get entries(): EntryColumns {
    return (this.columns ??= EntryColumns.load(join(this.dir, ENTRIES_FILE), this.committed));
  }

  /**
   * Drops the in-memory entries of a closed chunk (one being sealed) while no reader uses them:
   * the seal worker reads the entries file itself, and an import would otherwise hold the
   * entries of every chunk waiting for its seal (~5 MiB per 32 MiB chunk). A reader opened
   * later reads them back (the files stay until the seal is done).
   */
  releaseEntries(): void {
    if (!this.fds && this.readers === 0) this.columns = undefined;
  }

  /**
   * A reader starts: the entries are loaded now, while the chunk's files surely exist, and
   * the reader gets its own descriptors of the data files.
   */
  openReader(): ActiveData {
    this.readers++;
    try {
      void this.entries;
      return new ActiveData(this.dir, () => this.entries);
    } catch (err) {
      this.closeReader();
      throw err;
    }
  }

  /** A reader is done; the last one releases the entries of a closed chunk. */
  closeReader(): void {
    this.readers--;
    this.releaseEntries();
  }

  get lastWriteTs(): number {
    return this.staged === 0 ? 0 : this.entries.writeTs(this.staged - 1);
  }

  /**
   * Stages one record (its attrs encoding is the first `al` bytes of `attr`); returns its
   * position. The caller checked rotation and failure.
   */
  stage(raw: Uint8Array, attr: Uint8Array, al: number, writeTs: number, ingestTs: number, sourceTs: number): number {
    const i = this.staged;
    const rl = raw.length;
    if (this.rawStageLen + rl > this.rawStage.length) this.rawStage = this.roomFor(this.rawStage, this.rawStageLen, rl);
    if (this.attrStageLen + al > this.attrStage.length) this.attrStage = this.roomFor(this.attrStage, this.attrStageLen, al);
    this.rawStage.set(raw, this.rawStageLen);
    this.rawStageLen += rl;
    const stage = this.attrStage;
    const at = this.attrStageLen;
    for (let k = 0; k < al; k++) stage[at + k] = attr[k]!;
    this.attrStageLen += al;
    this.rawEnd += rl;
    this.attrEnd += al;
    const entries = this.entries;
    entries.ensure(i + 1);
    entries.set(i, writeTs, ingestTs, sourceTs, this.rawEnd, this.attrEnd);
    this.stats.add(writeTs, ingestTs, sourceTs, rl, al);
    this.staged = i + 1;
    if (this.rawStageLen + this.attrStageLen > STAGE_FLUSH_BYTES && !this.failed) {
      try {
        this.writeData();
      } catch (err) {
        this.fail(err);
      }
    }
    return i;
  }

  /** Writes what stage() collected and resolves once it is committed under the policy. */
  flush(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    try {
      this.writeData();
      if (this.durability.kind !== "batch") {
        this.writeEntries(this.staged);
        this.dirty = true;
        this.publish(this.staged);
        return Promise.resolve();
      }
    } catch (err) {
      return Promise.reject(this.fail(err));
    }
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.cycle ??= this.runCycles();
    });
  }

  /** Waits until no commit is pending. */
  async drain(): Promise<void> {
    while (this.cycle) await this.cycle;
  }

  /** fsyncs all three files if an interval/never append left them dirty. */
  async syncIfDirty(): Promise<void> {
    const fds = this.fds;
    if (!this.dirty || !fds || this.failed) return;
    this.dirty = false;
    try {
      await Promise.all([this.syncFile(fds.raw, RAW_FILE), this.syncFile(fds.attrs, ATTRS_FILE)]);
      await this.syncFile(fds.entries, ENTRIES_FILE);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Drains, syncs and closes the files (idempotent); appends are over after this. */
  async close(): Promise<void> {
    await this.drain();
    await this.syncIfDirty();
    const fds = this.fds;
    if (!fds) return;
    this.fds = undefined;
    closeSync(fds.entries);
    closeSync(fds.raw);
    closeSync(fds.attrs);
  }

  private async runCycles(): Promise<void> {
    const fds = this.fds!;
    while (this.waiters.length > 0) {
      const group = this.waiters;
      this.waiters = [];
      const upTo = this.staged;
      const t0 = performance.now();
      try {
        // The data syncs overlap the previous chunk's last commit; only the entries wait for it.
        await Promise.all([this.syncFile(fds.raw, RAW_FILE), this.syncFile(fds.attrs, ATTRS_FILE), this.follows]);
        this.follows = undefined;
        if (this.failed) throw this.failed;
        this.writeEntries(upTo);
        await this.syncFile(fds.entries, ENTRIES_FILE);
        this.onSync(performance.now() - t0);
      } catch (err) {
        const e = this.fail(err);
        for (const w of [...group, ...this.waiters]) w.reject(e);
        this.waiters = [];
        break;
      }
      this.publish(upTo);
      for (const w of group) w.resolve();
    }
    this.cycle = undefined;
  }

  private syncFile(fd: number, name: string): Promise<void> {
    return this.sync(fd, join(this.dir, name));
  }

  private publish(n: number): void {
    if (n <= this.committed) return;
    this.committed = n;
    this.onCommit(this);
  }

  private writeData(): void {
    const fds = this.fds;
    if (!fds) throw new LogError("unavailable", `active chunk ${this.id} is closed`);
    writeAll(fds.raw, this.rawStage, this.rawStageLen, HEADER_BYTES + this.rawFileEnd);
    this.rawFileEnd += this.rawStageLen;
    this.rawStageLen = 0;
    writeAll(fds.attrs, this.attrStage, this.attrStageLen, HEADER_BYTES + this.attrFileEnd);
    this.attrFileEnd += this.attrStageLen;
    this.attrStageLen = 0;
  }

  private writeEntries(upTo: number): void {
    if (upTo <= this.written) return;
    let pos = HEADER_BYTES + this.written * ENTRY_BYTES;
    for (const bytes of this.entries.ranges(this.written, upTo)) {
      writeAll(this.fds!.entries, bytes, bytes.length, pos);
      pos += bytes.length;
    }
    this.written = upTo;
  }

  private fail(err: unknown): Error {
    this.failed ??= new LogError("unavailable", `write to active chunk ${this.dir} failed: ${errorMessage(err)}`, { cause: err });
    return this.failed;
  }

  private roomFor(buf: Uint8Array, used: number, more: number): Uint8Array {
    let cap = buf.length * 2;
    while (cap < used + more) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(buf.subarray(0, used));
    return next;
  }
}

function writeAll(fd: number, buf: Uint8Array, len: number, pos: number): void {
  let done = 0;
  while (done < len) done += writeSync(fd, buf, done, len - done, pos + done);
}

/** fsync in the fs thread pool: on a busy disk one takes tens of ms, which must not stall the event loop. */
export const fsyncOffLoop: FileSync = (fd) => new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
