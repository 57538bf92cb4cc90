/**
 * ChunkReader over one text file region. Batches view the region's loaded payload and offsets
 * without copying; a batch's sourceTs column is parsed on first access (time filters and
 * output need it, a plain text match does not). Read-only: nothing here writes.
 */

import type { Attrs, LogRecord } from "../../core/record.ts";
import { BATCH_MAX_RAW_BYTES } from "../column-batch.ts";
import { ChunkCursor } from "../cursor.ts";
import type { BlockInfo, ChunkMeta, ChunkReader, Cursor, RecordBatch } from "../types.ts";
import { readHeldSection } from "../section-source.ts";
import { TS_BLOCK, type Region } from "./region.ts";
import { checkReadRange } from "../reader-checks.ts";

/** A run of records of one region; never crosses a timestamp block. */
class TextBatch implements RecordBatch {
  private ts: Float64Array | undefined;

  constructor(
    readonly first: number,
    readonly count: number,
    readonly data: Uint8Array,
    readonly rawOffsets: Uint32Array,
    /** The store's open time, repeated (writeTs and ingestTs are the same for every record). */
    readonly writeTs: Float64Array,
    readonly ingestTs: Float64Array,
    private readonly region: Region,
  ) {}

  get sourceTs(): Float64Array {
    return (this.ts ??= this.region.sourceTs(this.first, this.first + this.count));
  }

  attrs(i: number): Attrs {
    if (i < 0 || i >= this.count) throw new RangeError(`batch record ${i} out of range [0, ${this.count})`);
    return this.region.attrs(this.first + i);
  }
}

/** Reader of one region; `stamps` is TS_BLOCK copies of the store's open time. */
export class TextChunkReader implements ChunkReader {
  private closed = false;

  constructor(
    private readonly region: Region,
    private readonly stamps: Float64Array,
  ) {}

  get meta(): ChunkMeta {
    return this.region.meta();
  }

  count(): number {
    return this.region.count();
  }

  record(pos: number): LogRecord {
    this.check(pos, pos + 1);
    return this.region.record(pos);
  }

  batches(from: number, to: number): Iterable<RecordBatch> {
    this.check(from, to);
    return this.batchRun(from, to);
  }

  private *batchRun(from: number, to: number): Generator<RecordBatch> {
    if (from === to) return;
    const { data, offsets } = this.region.state().lines;
    let i = from;
    while (i < to) {
      const limit = Math.min(to, (Math.floor(i / TS_BLOCK) + 1) * TS_BLOCK);
      const base = offsets[i]!;
      let j = i + 1;
      while (j < limit && offsets[j + 1]! - base <= BATCH_MAX_RAW_BYTES) j++;
      const n = j - i;
      const stamps = this.stamps.subarray(0, n);
      yield new TextBatch(i, n, data, offsets.subarray(i, j + 1), stamps, stamps, this.region);
      i = j;
    }
  }

  blocks(): readonly BlockInfo[] {
    return this.region.blocks();
  }

  /** Every record was written at open time. */
  lowerBoundWriteTs(ts: number): number {
    return ts <= this.region.file.openTime ? 0 : this.count();
  }

  section(): Uint8Array | undefined {
    return undefined;
  }

  sectionSize(): number | undefined {
    return undefined;
  }

  readSection(name: string, offset: number, length: number): Uint8Array {
    return readHeldSection(this.meta.id, name, undefined, offset, length);
  }

  cursor(): Cursor {
    return new ChunkCursor(this);
  }

  close(): void {
    this.closed = true;
  }

  private check(from: number, to: number): void {
    checkReadRange(this.region.id, this.closed, from, to, this.count());
  }
}
