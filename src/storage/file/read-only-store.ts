/**
 * ReadOnlyFileStore: a file store that another live process writes (it holds the lock), opened
 * to be read without writing anything in its directory — no lock, no recovery, no seal, no
 * catalog write (the catalog is only read, through a read-only SQLite connection). It reads
 * the snapshot taken when it opened (store-snapshot.ts): answers are as of that moment, and a
 * chunk the writer seals or deletes meanwhile is still read as it was, or, for a sealed
 * segment deleted before it is first read, skipped as a deleted chunk (not_found). Appends,
 * seals and deletes are refused; subscribers hear nothing.
 */

import { join } from "node:path";
import { LogError, type CorruptError } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import { ByteCache } from "../byte-cache.ts";
import type { StoreLogger } from "../options.ts";
import { SegmentReader } from "../segment/reader.ts";
import type { ChunkMeta, ChunkReader, ChunkStore } from "../types.ts";
import { ActiveChunkReader, openSealedReader } from "./chunk-readers.ts";
import { SEALED_DIR, SEGMENT_EXT } from "./format.ts";
import type { LockInfo } from "./lock.ts";
import { SegmentCache } from "./segment-cache.ts";
import { takeSnapshot, type SnapshotChunk } from "./store-snapshot.ts";

/** Options of openReadOnlyFileStore. */
export interface ReadOnlyStoreOptions {
  /** Store name recorded in chunk metadata. */
  name: string;
  /** The process writing the store (its lock), named when a write is refused. */
  writer: LockInfo;
  /** Decoded sealed blocks; default: a cache of this store's own. */
  cache?: ByteCache;
  logger?: StoreLogger;
}

/** Opens the store in `dir` read-only as it is now; see the file header. */
export function openReadOnlyFileStore(dir: string, o: ReadOnlyStoreOptions): ReadOnlyFileStore {
  return new ReadOnlyFileStore(dir, o, takeSnapshot(dir, o.name));
}

/** A file store read as of its open, while another process writes it. */
export class ReadOnlyFileStore implements ChunkStore {
  readonly name: string;
  private readonly segments = new SegmentCache();
  private readonly cache: ByteCache;
  private closed = false;

  /** @internal use openReadOnlyFileStore. */
  constructor(
    readonly dir: string,
    private readonly o: ReadOnlyStoreOptions,
    private readonly map: Map<ChunkId, SnapshotChunk>,
  ) {
    this.name = o.name;
    this.cache = o.cache ?? new ByteCache();
  }

  /** The process that writes the store. */
  get writer(): LockInfo {
    return this.o.writer;
  }

  chunks(): ChunkMeta[] {
    return [...this.map.values()].map((c) => c.meta);
  }

  chunk(id: ChunkId): ChunkMeta | undefined {
    return this.map.get(id)?.meta;
  }

  open(id: ChunkId): ChunkReader {
    if (this.closed) throw new LogError("unavailable", `store ${this.name} is closed`);
    const c = this.map.get(id);
    if (!c) throw new LogError("not_found", `chunk ${id} not found in store ${this.name}`);
    const active = c.active;
    if (active) return new ActiveChunkReader(active, () => c.meta);
    if (c.error) throw c.error;
    return openSealedReader(this.segments, this.segmentPath(id), c.meta, this.cache, (err) => this.markCorrupt(c, err));
  }

  append(_batch: readonly RecordInput[]): Promise<RecordRef[]> {
    return Promise.reject(this.refused("appending"));
  }

  seal(): Promise<ChunkId | undefined> {
    return Promise.reject(this.refused("sealing"));
  }

  delete(_id: ChunkId): Promise<void> {
    return Promise.reject(this.refused("deleting chunks"));
  }

  /** Policies belong to the writer. */
  reconfigure(): Promise<void> {
    return Promise.reject(this.refused("changing its policies"));
  }

  subscribe(): () => void {
    return () => {};
  }

  async idle(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.segments.clear();
    for (const c of this.map.values()) c.active?.close();
  }

  /** Path of sealed chunk `id`'s segment file (other threads open it read-only). */
  segmentPath(id: ChunkId): string {
    return join(this.dir, SEALED_DIR, id + SEGMENT_EXT);
  }

  /** Damage found reading a segment: the chunk is skipped from now on (the catalog is the writer's to update). */
  private markCorrupt(c: SnapshotChunk, err: CorruptError): void {
    if (c.error) return;
    c.error = err;
    c.meta = { ...c.meta, state: "corrupt" };
    this.segments.evict(c.meta.id);
    this.cache.evictPrefix(SegmentReader.cacheKeyPrefix(this.segmentPath(c.meta.id)));
    this.o.logger?.("error", `store ${this.name}: chunk ${c.meta.id} is corrupt and skipped: ${err.message}`);
  }

  private refused(what: string): LogError {
    const w = this.o.writer;
    return new LogError("permission_denied", `store ${this.name} is read here while pid ${w.pid} on ${w.host} writes it: ${what} is not possible`);
  }
}
