/**
 * The text file store: a read-only ChunkStore over plain log files, searchable at once with
 * no import. Each file is cut into line-aligned regions (one chunk each, "sealed", no
 * indexes); records are its lines under the importer's rules (core/lines.ts), attrs `{file:
 * basename}`, ingestTs = writeTs = open time, sourceTs from the injected parser. Opening only
 * stats the files and finds region boundaries; lines load per region on first use and stay
 * in an LRU cache of `cacheBytes`. Appends and deletes are refused. With `follow`, lines
 * written to the files later become new chunks (growth.ts): a chunk listing checks the files,
 * and from the first subscriber on they are watched and subscribers hear of new chunks.
 */

import { closeSync, fstatSync, openSync } from "node:fs";
import { basename } from "node:path";
import { errorMessage, LogError } from "../../core/errors.ts";
import { newChunkId, type ChunkId } from "../../core/ids.ts";
import { MAX_ATTR_VALUE_BYTES, truncateUtf8 } from "../../core/limits.ts";
import type { Attrs, RecordRef } from "../../core/record.ts";
import { systemClock, type Clock } from "../../core/time.ts";
import type { ChunkMeta, ChunkReader, ChunkStore, StoreEvent } from "../types.ts";
import { TextTail, watchPaths, type TailHost } from "./growth.ts";
import { regionBounds } from "./lines.ts";
import { Region, TS_BLOCK, type ParseTimestamp, type RegionCache, type TextFile } from "./region.ts";
import { TextChunkReader } from "./text-reader.ts";

/** Default region (chunk) size: big enough to amortise per-chunk work, small enough to stream. */
export const DEFAULT_REGION_BYTES = 32 << 20;
/** Default budget of loaded regions (payload + offsets + timestamps). */
export const DEFAULT_CACHE_BYTES = 1 << 30;

export interface TextFileStoreOptions {
  /** Event time of a line (epoch µs), 0 when it has none; default: never recognised. */
  parseTimestamp?: ParseTimestamp;
  /** Open time source: every record's ingestTs and writeTs. */
  clock?: Clock;
  /** Target region size in bytes (regions end at the next newline). */
  regionBytes?: number;
  /** Keep reading the files as they grow, rotate or are truncated (live tail). */
  follow?: boolean;
  /** Loaded regions beyond this many bytes are dropped, least recently used first (reloaded on use). */
  cacheBytes?: number;
}

/** A read-only ChunkStore over text files; `bytes` is their total size at open. */
export interface TextFileStore extends ChunkStore {
  readonly bytes: number;
  readonly files: readonly string[];
}

class LruCache implements RegionCache {
  private readonly sizes = new Map<Region, number>();
  private used = 0;

  constructor(private readonly budget: number) {}

  touch(r: Region): void {
    const s = this.sizes.get(r);
    if (s === undefined) return;
    this.sizes.delete(r);
    this.sizes.set(r, s);
  }

  /** Counts `r` at `bytes` (again, when it grew), evicting the least recently used beyond the budget. */
  admit(r: Region, bytes: number): void {
    this.used += bytes - (this.sizes.get(r) ?? 0);
    this.sizes.delete(r);
    this.sizes.set(r, bytes);
    for (const [old, s] of this.sizes) {
      if (this.used <= this.budget || old === r) break;
      old.evict();
      this.sizes.delete(old);
      this.used -= s;
    }
  }

  clear(): void {
    for (const r of this.sizes.keys()) r.evict();
    this.sizes.clear();
    this.used = 0;
  }
}

const readOnly = (name: string, what: string): LogError =>
  new LogError("permission_denied", `store '${name}' is a read-only view of text files: ${what} is not possible`);

class TextStore implements TextFileStore, TailHost {
  private readonly regions = new Map<ChunkId, Region>();
  private readonly cache: LruCache;
  private readonly fds: number[] = [];
  private readonly textFiles: TextFile[] = [];
  /** TS_BLOCK copies of each ingest time in use (open time; later, each growth's time). */
  private readonly stamps = new Map<number, Float64Array>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly tails: TextTail[] = [];
  private readonly parseTs: ParseTimestamp;
  private readonly clock: Clock;
  private stopWatch: (() => void) | undefined;
  private closed = false;
  readonly regionBytes: number;
  bytes = 0;

  constructor(
    readonly name: string,
    readonly files: readonly string[],
    o: TextFileStoreOptions,
  ) {
    this.clock = o.clock ?? systemClock;
    const openTime = this.clock();
    const parseTs = (this.parseTs = o.parseTimestamp ?? (() => 0));
    const target = (this.regionBytes = Math.max(1, o.regionBytes ?? DEFAULT_REGION_BYTES));
    this.cache = new LruCache(o.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const spans: { file: TextFile; start: number; end: number; first: boolean }[] = [];
    const sizes: { path: string; fd: number; size: number; file?: TextFile }[] = [];
    try {
      for (const path of files) {
        const fd = this.openFile(path);
        const size = fstatSync(fd).size;
        this.bytes += size;
        sizes.push({ path, fd, size });
        if (size === 0) continue;
        const file: TextFile = { path, fd, attrs: fileAttrs(path), parseTs, openTime, cache: this.cache };
        sizes[sizes.length - 1]!.file = file;
        this.textFiles.push(file);
        const b = regionBounds(fd, size, target);
        for (let i = 0; i + 1 < b.length; i++) spans.push({ file, start: b[i]!, end: b[i + 1]!, first: i === 0 });
      }
    } catch (err) {
      this.closeFds();
      throw err;
    }
    const ids = spans.map(() => newChunkId()).sort();
    let prev: Region | undefined;
    const lastOf = new Map<TextFile, Region>();
    spans.forEach((s, i) => {
      const r = new Region(ids[i]!, name, s.file, s.first ? undefined : prev, s.start, s.end);
      this.regions.set(r.id, r);
      lastOf.set(s.file, r);
      prev = r;
    });
    if (o.follow) {
      for (const f of sizes) {
        const st = fstatSync(f.fd);
        this.tails.push(new TextTail(f.path, st.dev, st.ino, f.fd, f.size, f.file && lastOf.get(f.file)));
      }
    }
  }

  /**
   * Followed files are watched (fs.watch and a poll) from the first subscriber on; until then
   * each chunk listing checks them, so a one-shot command starts no watcher.
   */
  private catchUp(): void {
    if (this.tails.length > 0 && this.stopWatch === undefined) this.refresh();
  }

  textFile(path: string, fd: number, time: number): TextFile {
    if (!this.fds.includes(fd)) this.fds.push(fd);
    const file: TextFile = { path, fd, attrs: fileAttrs(path), parseTs: this.parseTs, openTime: time, cache: this.cache };
    this.textFiles.push(file);
    return file;
  }

  add(r: Region): void {
    this.regions.set(r.id, r);
    this.emit({ kind: "appended", chunk: r.id, count: r.count() });
  }

  dropFd(fd: number): void {
    for (const [id, r] of [...this.regions]) {
      if (r.file.fd !== fd) continue;
      this.regions.delete(id);
      this.emit({ kind: "deleted", chunk: id });
    }
  }

  now(): number {
    return this.clock();
  }

  private refresh(): void {
    if (this.closed) return;
    for (const t of this.tails) {
      try {
        t.refresh(this);
      } catch {
        // a file that cannot be read right now is tried again at the next change
      }
    }
  }

  private emit(e: StoreEvent): void {
    for (const l of this.listeners) l(e);
  }

  private openFile(path: string): number {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      throw new LogError("not_found", `text store: cannot open "${path}": ${errorMessage(err)}`, { cause: err });
    }
    this.fds.push(fd);
    if (!fstatSync(fd).isFile()) throw new LogError("invalid_argument", `text store: "${path}" is not a regular file`);
    return fd;
  }

  private closeFds(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }

  append(): Promise<RecordRef[]> {
    return Promise.reject(readOnly(this.name, "appending"));
  }

  /** Nothing is ever active. */
  async seal(): Promise<ChunkId | undefined> {
    return undefined;
  }

  chunks(): ChunkMeta[] {
    this.catchUp();
    return [...this.regions.values()].map((r) => r.meta());
  }

  chunk(id: ChunkId): ChunkMeta | undefined {
    return this.regions.get(id)?.meta();
  }

  open(id: ChunkId): ChunkReader {
    if (this.closed) throw new LogError("unavailable", `store '${this.name}' is closed`);
    const r = this.regions.get(id);
    if (r === undefined) throw new LogError("not_found", `chunk ${id} not found in store '${this.name}'`);
    let stamps = this.stamps.get(r.file.openTime);
    if (!stamps) this.stamps.set(r.file.openTime, (stamps = new Float64Array(TS_BLOCK).fill(r.file.openTime)));
    return new TextChunkReader(r, stamps);
  }

  delete(): Promise<void> {
    return Promise.reject(readOnly(this.name, "deleting chunks"));
  }

  /** Chunks added or dropped while following (no events without `follow`); the first subscriber starts the watch. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.tails.length > 0 && this.stopWatch === undefined && !this.closed) {
      this.stopWatch = watchPaths(this.files, () => this.refresh());
      this.refresh();
    }
    return () => this.listeners.delete(listener);
  }

  async idle(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatch?.();
    this.cache.clear();
    for (const f of this.textFiles) f.fd = -1;
    this.closeFds();
  }
}

function fileAttrs(path: string): Attrs {
  return Object.freeze({ file: truncateUtf8(basename(path), MAX_ATTR_VALUE_BYTES) });
}

/**
 * Opens `files` (plain text; compressed input must be imported instead) as one read-only
 * store: chunks are their regions, in file order. Throws LogError("not_found") for a file
 * that cannot be opened, ("invalid_argument") for one that is not a regular file.
 */
export function openTextFileStore(name: string, files: readonly string[], options: TextFileStoreOptions = {}): TextFileStore {
  return new TextStore(name, files, options);
}
