/**
 * ChunkReader implementations of the file store: ActiveChunkReader over an active (or sealing)
 * chunk — the writer's, whose count grows with commits, or a read-only snapshot of one another
 * process writes — and SealedChunkReader over a segment, which reports CorruptError to the
 * store (so the chunk is marked corrupt) before rethrowing it.
 */

import { CorruptError } from "../../core/errors.ts";
import type { ByteCache } from "../byte-cache.ts";
import { SegmentReader } from "../segment/reader.ts";
import type { SegmentCache } from "./segment-cache.ts";
import type { LogRecord } from "../../core/record.ts";
import { LocalChunkReader } from "../reader-base.ts";
import type { BlockInfo, BlockTimes, ChunkMeta, DecodeBuffer, RecordBatch } from "../types.ts";
import type { ChunkId } from "../../core/ids.ts";
import type { ChunkStats } from "../stats.ts";
import type { ActiveData } from "./active-data.ts";
import type { EntryColumns } from "./entry-columns.ts";
import { checkReadRange, wholeChunkBlock } from "../reader-checks.ts";

/** What an ActiveChunkReader reads: the writer's ActiveChunk, or a ReadOnlyFileStore's snapshot of one. */
export interface ActiveSource {
  readonly id: ChunkId;
  /** Records readers see. */
  readonly committed: number;
  readonly stats: ChunkStats;
  readonly entries: EntryColumns;
  /** A reader starts; returns its record reads (closed by the reader before closeReader). */
  openReader(): ActiveData;
  closeReader(): void;
}

/** Reader of an active or sealing chunk; count() follows commits; meta is always unsealed. */
export class ActiveChunkReader extends LocalChunkReader {
  private readonly data: ActiveData;
  private closed = false;

  constructor(
    private readonly chunk: ActiveSource,
    private readonly metaOf: () => ChunkMeta,
  ) {
    super();
    this.data = chunk.openReader();
  }

  get meta(): ChunkMeta {
    return this.metaOf();
  }

  count(): number {
    return this.chunk.committed;
  }

  record(pos: number): LogRecord {
    this.check(pos, pos + 1);
    return this.data.record(pos);
  }

  batches(from: number, to: number): Iterable<RecordBatch> {
    this.check(from, to);
    return this.data.batches(from, to);
  }

  blocks(): readonly BlockInfo[] {
    return wholeChunkBlock(this.count(), this.chunk.stats);
  }

  lowerBoundWriteTs(ts: number): number {
    return this.chunk.entries.lowerBoundWriteTs(this.count(), ts);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.close();
    this.chunk.closeReader();
  }

  private check(from: number, to: number): void {
    checkReadRange(this.chunk.id, this.closed, from, to, this.count());
  }
}

/** Reader of a sealed segment; reports corruption to the store and returns its lease on close. */
export class SealedChunkReader extends LocalChunkReader {
  private closed = false;

  constructor(
    private readonly seg: SegmentReader,
    readonly meta: ChunkMeta,
    private readonly onCorrupt: (err: CorruptError) => void,
    private readonly onClose: (seg: SegmentReader) => void,
  ) {
    super();
  }

  count(): number {
    return this.seg.count();
  }

  record(pos: number): LogRecord {
    try {
      return this.seg.record(pos);
    } catch (err) {
      throw this.report(err);
    }
  }

  *batches(from: number, to: number, reuse?: DecodeBuffer): Iterable<RecordBatch> {
    checkReadRange(this.meta.id, this.closed, from, to, this.count());
    try {
      yield* this.seg.batches(from, to, reuse);
    } catch (err) {
      throw this.report(err);
    }
  }

  blocks(): readonly BlockInfo[] {
    return this.seg.blocks();
  }

  blockTimes(index: number): BlockTimes {
    try {
      return this.seg.blockTimes(index);
    } catch (err) {
      throw this.report(err);
    }
  }

  lowerBoundWriteTs(ts: number): number {
    try {
      return this.seg.lowerBoundWriteTs(ts);
    } catch (err) {
      throw this.report(err);
    }
  }

  /** From the directory: no checksum pass over the section. */
  override sectionSize(name: string): number | undefined {
    return this.seg.sectionLength(name);
  }

  /**
   * One positioned read (a whole-section read is checked against the directory's CRC). A damaged
   * section throws CorruptError but does not mark the chunk: its data is intact.
   */
  override readSection(name: string, offset: number, length: number): Uint8Array {
    return this.seg.readSection(name, offset, length);
  }

  /** Ends this reader's lease; the segment stays open in the store's SegmentCache for the next one. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this.seg);
  }

  private report(err: unknown): unknown {
    if (err instanceof CorruptError) this.onCorrupt(err);
    return err;
  }
}

/**
 * A reader of sealed chunk `meta`'s segment at `path`, leased from `segments` (opened into
 * `cache` when not open yet); `onCorrupt` hears of damage found opening or reading it.
 */
export function openSealedReader(segments: SegmentCache, path: string, meta: ChunkMeta, cache: ByteCache, onCorrupt: (err: CorruptError) => void): SealedChunkReader {
  let seg: SegmentReader;
  try {
    seg = segments.acquire(meta.id, () => SegmentReader.open(path, cache));
  } catch (err) {
    if (err instanceof CorruptError) onCorrupt(err);
    throw err;
  }
  return new SealedChunkReader(seg, meta, onCorrupt, (s) => segments.release(s));
}
