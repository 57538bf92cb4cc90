/**
 * The memory ChunkStore: same semantics as the file store (rotation with real byte sizes, the
 * hard limit, bidirectional cursors, events), nothing persisted. Sealing flips the state and builds the
 * index sections inline. Appends resolve synchronously-fast; there is no durability.
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import { newChunkId, type ChunkId } from "../../core/ids.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import { AttrsEncoder } from "../attrs-encoder.ts";
import { StoreEvents } from "../events.ts";
import { resolveStoreOptions, type LivePolicy, type ResolvedStoreOptions, type StoreOptions } from "../options.ts";
import { ageExceeded, mustRotate } from "../rotation.ts";
import { checkBatch } from "../validate.ts";
import type { ChunkMeta, ChunkReader, ChunkStore, StoreEvent } from "../types.ts";
import { MemoryChunk, MemoryChunkReader } from "./memory-chunk.ts";

/** Options of createMemoryStore. */
export type MemoryStoreOptions = StoreOptions;

/** A ChunkStore that also supports the age sweep a background timer may call. */
export interface SweepableStore extends ChunkStore {
  /** Seals a non-empty active chunk that is older than the rotation maxAge. */
  sweep(): Promise<ChunkId | undefined>;
  /** Takes over a changed rotation from the next append (memory stores have no codec or durability). */
  reconfigure(p: LivePolicy): Promise<void>;
}

/** Creates an empty memory store. */
export function createMemoryStore(name: string, options: MemoryStoreOptions = {}): SweepableStore {
  return new MemoryStore(resolveStoreOptions({ ...options, name }));
}

class MemoryStore implements SweepableStore {
  readonly name: string;
  private readonly chunkMap = new Map<ChunkId, MemoryChunk>();
  private active: MemoryChunk | undefined;
  private readonly events: StoreEvents;
  private readonly enc = new AttrsEncoder();
  private closed = false;

  constructor(private readonly o: ResolvedStoreOptions) {
    this.name = o.name;
    this.events = new StoreEvents(o.logger);
  }

  async append(batch: readonly RecordInput[]): Promise<RecordRef[]> {
    this.checkOpen();
    checkBatch(this.name, batch);
    const now = this.o.clock();
    const policy = this.o.rotation;
    if (this.active && this.active.stats.records > 0 && ageExceeded(policy, this.active.createdAt, now)) {
      this.sealActive();
    }
    const refs: RecordRef[] = new Array(batch.length);
    const touched: MemoryChunk[] = [];
    let c = this.active;
    let writeTs = c ? Math.max(now, c.cols.lastWriteTs()) : now;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      const attrLen = this.enc.encode(r.attrs);
      const s = c?.stats;
      if (!c || (s && mustRotate(policy, s.records, s.bytes, s.rawBytes, s.attrBytes, r.raw.length, attrLen))) {
        if (c) this.sealActive();
        c = this.openChunk(now);
        writeTs = now;
      }
      if (touched[touched.length - 1] !== c) touched.push(c);
      refs[i] = { chunk: c.id, pos: c.cols.count };
      c.cols.push(r.raw, r.attrs, writeTs, r.ingestTs, r.sourceTs);
      c.stats.add(writeTs, r.ingestTs, r.sourceTs, r.raw.length, attrLen);
    }
    for (const t of touched) this.events.emit({ kind: "appended", chunk: t.id, count: t.cols.count });
    return refs;
  }

  async seal(): Promise<ChunkId | undefined> {
    this.checkOpen();
    return this.sealActive();
  }

  async sweep(): Promise<ChunkId | undefined> {
    const a = this.active;
    if (this.closed || !a || a.stats.records === 0) return undefined;
    return ageExceeded(this.o.rotation, a.createdAt, this.o.clock()) ? this.sealActive() : undefined;
  }

  async reconfigure(p: LivePolicy): Promise<void> {
    this.checkOpen();
    this.o.rotation = resolveStoreOptions({ rotation: p.rotation }).rotation;
  }

  chunks(): ChunkMeta[] {
    return [...this.chunkMap.values()].map((c) => c.meta());
  }

  chunk(id: ChunkId): ChunkMeta | undefined {
    return this.chunkMap.get(id)?.meta();
  }

  open(id: ChunkId): ChunkReader {
    const c = this.chunkMap.get(id);
    if (!c) throw new LogError("not_found", `chunk ${id} not found in store ${this.name}`);
    return new MemoryChunkReader(c);
  }

  async delete(id: ChunkId): Promise<void> {
    this.checkOpen();
    const c = this.chunkMap.get(id);
    if (!c) throw new LogError("not_found", `chunk ${id} not found in store ${this.name}`);
    if (c.state === "active" || c.state === "sealing") {
      throw new LogError("invalid_argument", `chunk ${id} is ${c.state}; only sealed chunks can be deleted`);
    }
    this.chunkMap.delete(id);
    this.events.emit({ kind: "deleted", chunk: id });
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  async idle(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  private openChunk(now: number): MemoryChunk {
    const c = new MemoryChunk(newChunkId(), this.name, now);
    this.chunkMap.set(c.id, c);
    this.active = c;
    return c;
  }

  private sealActive(): ChunkId | undefined {
    const c = this.active;
    if (!c) return undefined;
    this.active = undefined;
    const t0 = performance.now();
    const { failure, sections } = c.seal(this.o.sectionBuilders);
    const millis = performance.now() - t0;
    if (failure !== undefined) {
      this.o.logger("error", `store ${this.name}: index sections of chunk ${c.id} failed: ${errorMessage(failure)}`);
    }
    this.o.observer.sealed?.({ chunk: c.id, millis, indexMillis: millis, sections, errors: failure === undefined ? [] : [errorMessage(failure)] });
    this.events.emit({ kind: "sealed", chunk: c.id });
    return c.id;
  }

  private checkOpen(): void {
    if (this.closed) throw new LogError("unavailable", `store ${this.name} is closed`);
  }
}
