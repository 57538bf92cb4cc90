/**
 * ChunkReader over one text file region. Batches view a block's compacted payload (built once,
 * when a batch first needs that block); a batch's sourceTs column is parsed on first access (time filters need it,
 * a plain text match does not), and a hit's record parses only its own line when that line
 * has a timestamp. Read-only: nothing here writes.
 */

import type { Attrs, LogRecord } from "../../core/record.ts";
import { BATCH_MAX_RAW_BYTES, ColumnBatch, type AttrsColumn } from "../column-batch.ts";
import { LocalChunkReader } from "../reader-base.ts";
import type { BlockInfo, ByteSearch, ChunkMeta, RecordBatch } from "../types.ts";
import { TS_BLOCK, type Region } from "./region.ts";
import { checkReadRange } from "../reader-checks.ts";

/** The attributes of a run of a region's records starting at `first`. */
class RegionAttrs implements AttrsColumn {
  constructor(
    private readonly region: Region,
    private readonly first: number,
  ) {}

  get(i: number): Attrs {
    return this.region.attrs(this.first + i);
  }
}

/** Reader of one region; `stamps` is TS_BLOCK copies of the store's open time. */
export class TextChunkReader extends LocalChunkReader {
  private closed = false;

  constructor(
    private readonly region: Region,
    private readonly stamps: Float64Array,
  ) {
    super();
  }

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
    let i = from;
    while (i < to) {
      const block = Math.floor(i / TS_BLOCK);
      const first = block * TS_BLOCK;
      const limit = Math.min(to, first + TS_BLOCK);
      // A whole block is compacted once and kept; a few records (candidates of a needle search) alone.
      const whole = this.region.hasBlockPayload(block) || (i === first && limit === Math.min(first + TS_BLOCK, this.region.count()));
      const { data, offsets } = whole ? this.region.blockPayload(block) : this.region.payload(i, limit);
      const origin = whole ? first : i;
      const base = offsets[i - origin]!;
      let j = i + 1;
      while (j < limit && offsets[j + 1 - origin]! - base <= BATCH_MAX_RAW_BYTES) j++;
      const n = j - i;
      // writeTs and ingestTs are the store's open time for every record; sourceTs is parsed on first use.
      const stamps = this.stamps.subarray(0, n);
      const start = i;
      const region = this.region;
      const bounds = offsets.subarray(start - origin, j - origin + 1);
      yield new ColumnBatch(start, n, data, bounds, stamps, stamps, () => region.sourceTs(start, start + n), new RegionAttrs(region, start), (k) => region.sourceTsOf(start + k, data, bounds[k]!, bounds[k + 1]!));
      i = j;
    }
  }

  positionsContaining(needle: Uint8Array, o: ByteSearch = {}): Uint32Array | undefined {
    // Only whether the reader is open: the search itself counts a region not counted yet.
    checkReadRange(this.region.id, this.closed, 0, 0, 0);
    return this.region.positionsContaining(needle, o);
  }

  blocks(): readonly BlockInfo[] {
    return this.region.blocks();
  }

  /** Every record was written at open time. */
  lowerBoundWriteTs(ts: number): number {
    return ts <= this.region.file.openTime ? 0 : this.count();
  }

  close(): void {
    this.closed = true;
  }

  private check(from: number, to: number): void {
    checkReadRange(this.region.id, this.closed, from, to, this.count());
  }
}
