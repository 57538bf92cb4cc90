/**
 * One chunk of the memory store: columns, running stats, state and (once sealed) the index
 * sections built inline by the store's section builders, plus its ChunkReader.
 */

import type { ChunkId } from "../../core/ids.ts";
import type { LogRecord } from "../../core/record.ts";
import { LocalChunkReader } from "../reader-base.ts";
import { ChunkStats } from "../stats.ts";
import type {
  BlockInfo,
  ChunkMeta,
  ChunkState,
  IndexStatus,
  RecordBatch,
  SectionBuilderFactory,
  SectionOutcome,
} from "../types.ts";
import { MemoryColumns } from "./columns.ts";
import { checkReadRange, wholeChunkBlock } from "../reader-checks.ts";

/** One memory chunk and its metadata. */
export class MemoryChunk {
  state: ChunkState = "active";
  readonly cols = new MemoryColumns();
  readonly stats = new ChunkStats();
  indexStatus: IndexStatus = "none";
  indexBytes = 0;
  readonly sections = new Map<string, Uint8Array>();

  constructor(
    readonly id: ChunkId,
    readonly store: string,
    readonly createdAt: number,
  ) {}

  meta(): ChunkMeta {
    const s = this.stats;
    return {
      id: this.id,
      store: this.store,
      state: this.state,
      records: s.records,
      rawBytes: s.rawBytes,
      storedBytes: s.bytes,
      createdAt: this.createdAt,
      writeTs: s.writeRange(),
      ingestTs: s.ingestRange(),
      eventTs: s.eventRange(),
      codec: this.state === "sealed" ? "none" : "",
      indexStatus: this.indexStatus,
      indexBytes: this.indexBytes,
    };
  }

  /**
   * Freezes the chunk and runs the section builders; returns a builder's error, if any (then no
   * section is kept), and each builder's outcome.
   */
  seal(builders: SectionBuilderFactory): { failure: unknown; sections: SectionOutcome[] } {
    let failure: unknown;
    const list = builders();
    const sections: SectionOutcome[] = [];
    let status: IndexStatus = list.length === 0 ? "none" : "complete";
    try {
      for (const b of this.cols.batches(0, this.cols.count)) for (const s of list) s.add(b);
      for (const s of list) {
        const out = s.finish();
        if (out.status !== "complete") status = "capped";
        this.sections.set(s.name, out.bytes);
        this.indexBytes += out.bytes.length;
        sections.push({ name: s.name, status: out.status });
      }
    } catch (err) {
      failure = err ?? new Error("section builder failed");
      status = "failed";
      this.sections.clear();
      this.indexBytes = 0;
      sections.length = 0;
      for (const s of list) sections.push({ name: s.name, status: "failed" });
    }
    this.indexStatus = status;
    this.state = "sealed";
    return { failure, sections };
  }
}

/** Reader of a memory chunk (active readers see later appends). */
export class MemoryChunkReader extends LocalChunkReader {
  private closed = false;

  constructor(private readonly chunk: MemoryChunk) {
    super();
  }

  get meta(): ChunkMeta {
    return this.chunk.meta();
  }

  count(): number {
    return this.chunk.cols.count;
  }

  record(pos: number): LogRecord {
    this.check(pos, pos + 1);
    return this.chunk.cols.record(pos);
  }

  batches(from: number, to: number): Iterable<RecordBatch> {
    this.check(from, to);
    return this.chunk.cols.batches(from, to);
  }

  blocks(): readonly BlockInfo[] {
    return wholeChunkBlock(this.count(), this.chunk.stats);
  }

  lowerBoundWriteTs(ts: number): number {
    return this.chunk.cols.lowerBoundWriteTs(ts);
  }

  protected override heldSection(name: string): Uint8Array | undefined {
    return this.chunk.sections.get(name);
  }

  close(): void {
    this.closed = true;
  }

  private check(from: number, to: number): void {
    checkReadRange(this.chunk.id, this.closed, from, to, this.count());
  }
}
