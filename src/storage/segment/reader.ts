/**
 * Reads a sealed segment file through a private (copy-on-write) `Bun.mmap`: the mapping is
 * writable memory, but nothing here writes to it and a write would never reach the file. open()
 * checks header, footer and directory only (O(blocks)); blocks are CRC-checked and decoded on
 * demand into a small LRU; sections are zero-copy views checked on first access.
 */

import { statSync } from "node:fs";
import { crc32 } from "../../core/bytes/checksum.ts";
import { CorruptError, LogError, errorMessage } from "../../core/errors.ts";
import type { LogRecord } from "../../core/record.ts";
import type { RecordBatch } from "../types.ts";
import { recordAt, sliceBatch } from "../record-batch.ts";
import { decodeBlock, type DecodedBlock } from "./block.ts";
import { BlockCache } from "./block-cache.ts";
import { blockIndexOf } from "../reader-checks.ts";
import { decodeDirectory, type SectionEntry, type SegmentBlock } from "./directory.ts";
import { decompressBlockBody } from "./codecs.ts";
import { type CodecName, decodeFooter, decodeHeader, MIN_FILE_SIZE } from "./format.ts";
import type { SegmentSummary } from "./writer.ts";

/** Decoded blocks kept per reader; random access within a few blocks stays cheap. */
/** Budget of a reader's own block cache when no shared one is given: a few blocks. */
export const PRIVATE_BLOCK_CACHE_BYTES = 8 << 20;

/** What the directory says about the whole segment: the writer's summary plus the codec. */
export type SegmentFileSummary = Omit<SegmentSummary, "sectionErrors"> & { codec: CodecName };

export class SegmentReader {
  private file: Uint8Array;
  private readonly sectionsByName = new Map<string, SectionEntry>();
  private readonly verifiedSections = new Set<string>();

  private constructor(
    readonly path: string,
    file: Uint8Array,
    readonly chunkId: string,
    readonly createdAt: number,
    readonly summary: SegmentFileSummary,
    private readonly blockList: readonly SegmentBlock[],
    sections: readonly SectionEntry[],
    /** [start, end) file ranges of alignment padding, which must be zero. */
    private readonly gaps: readonly (readonly [number, number])[],
    private readonly cache: BlockCache,
  ) {
    this.file = file;
    for (const s of sections) this.sectionsByName.set(s.name, s);
  }

  /**
   * Maps `path` and validates magic, version, footer and directory (checksums included).
   * Throws CorruptError(path, offset, detail) for a damaged file, LogError not_found if absent.
   * Decoded blocks go to `cache` (shared by a store's readers) or a small private one.
   */
  static open(path: string, cache: BlockCache = new BlockCache(PRIVATE_BLOCK_CACHE_BYTES)): SegmentReader {
    let size: number;
    try {
      size = statSync(path).size;
    } catch (err) {
      throw new LogError("not_found", `cannot open segment ${path}: ${errorMessage(err)}`, { cause: err });
    }
    if (size < MIN_FILE_SIZE) throw new CorruptError(path, size, `file is ${size} bytes, smaller than any segment (${MIN_FILE_SIZE})`);
    const file = Bun.mmap(path, { shared: false });
    const { header, end } = decodeHeader(path, file);
    const footer = decodeFooter(path, file, end);
    if (crc32(file.subarray(footer.dirOffset, footer.dirOffset + footer.dirLength)) !== footer.dirCrc) {
      throw new CorruptError(path, footer.dirOffset, "directory checksum mismatch");
    }
    const dir = decodeDirectory(path, file, end, footer.dirOffset, footer.dirLength);
    const summary: SegmentFileSummary = {
      records: dir.records,
      rawBytes: dir.rawBytes,
      storedBytes: size,
      indexBytes: dir.sections.reduce((sum, s) => sum + s.length, 0),
      blocks: dir.blocks.length,
      writeTs: dir.writeTs,
      ingestTs: dir.ingestTs,
      eventTs: dir.eventTs,
      codec: dir.codec,
      indexStatus: dir.indexStatus,
    };
    const last = dir.blocks[dir.blocks.length - 1];
    const gaps = paddingGaps(last === undefined ? end : last.offset + last.storedLen, dir.sections, footer.dirOffset);
    return new SegmentReader(path, file, header.chunkId, header.createdAt, summary, dir.blocks, dir.sections, gaps, cache);
  }

  count(): number {
    return this.summary.records;
  }

  /** Directory entries; each is a BlockInfo plus file offset, lengths, codec and CRC. */
  blocks(): readonly SegmentBlock[] {
    return this.blockList;
  }

  /** Names of the sections present, in file order. */
  sectionNames(): string[] {
    return [...this.sectionsByName.keys()];
  }

  /** Records [from, to), clamped to [0, count()), one batch per block touched; zero-copy views. */
  *batches(from: number, to: number): Iterable<RecordBatch> {
    const end = Math.min(to, this.count());
    let pos = Math.max(0, from);
    while (pos < end) {
      const bi = blockIndexOf(this.blockList, pos);
      const b = this.blockList[bi]!;
      const stop = Math.min(end, b.first + b.count);
      yield sliceBatch(this.block(bi), pos - b.first, stop - b.first);
      pos = stop;
    }
  }

  /** The record at `pos`; its payload is a copy, so it does not pin the decoded block. */
  record(pos: number): LogRecord {
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.count()) {
      throw new LogError("invalid_argument", `record position ${pos} out of range [0, ${this.count()}) in ${this.path}`);
    }
    const bi = blockIndexOf(this.blockList, pos);
    return recordAt(this.block(bi), pos - this.blockList[bi]!.first);
  }

  /** First position whose writeTs >= ts (count() when none): directory, then the block column. */
  lowerBoundWriteTs(ts: number): number {
    const blocks = this.blockList;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid]!.writeTs.max < ts) lo = mid + 1;
      else hi = mid;
    }
    if (lo === blocks.length) return this.count();
    const col = this.block(lo).writeTs;
    let a = 0;
    let b = col.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (col[mid]! < ts) a = mid + 1;
      else b = mid;
    }
    return blocks[lo]!.first + a;
  }

  /** Byte length of section `name` (from the directory), or undefined when absent. */
  sectionLength(name: string): number | undefined {
    return this.sectionsByName.get(name)?.length;
  }

  /** A zero-copy view of section `name` (8-aligned in the file), CRC-checked on first access. */
  section(name: string): Uint8Array | undefined {
    const s = this.sectionsByName.get(name);
    if (s === undefined) return undefined;
    const bytes = this.mapped().subarray(s.offset, s.offset + s.length);
    if (!this.verifiedSections.has(name)) {
      if (crc32(bytes) !== s.crc) throw new CorruptError(this.path, s.offset, `section "${name}" checksum mismatch`);
      this.verifiedSections.add(name);
    }
    return bytes;
  }

  /**
   * Checks every block (CRC and full decode), every section CRC and that padding is zero, so
   * any damaged byte of the file is found. Throws the first CorruptError.
   */
  verify(): void {
    for (let i = 0; i < this.blockList.length; i++) this.decode(i);
    for (const name of this.sectionsByName.keys()) {
      this.verifiedSections.delete(name);
      this.section(name);
    }
    const file = this.mapped();
    for (const [start, end] of this.gaps) {
      for (let i = start; i < end; i++) {
        if (file[i] !== 0) throw new CorruptError(this.path, i, "non-zero byte in section padding");
      }
    }
  }

  /** Drops the mapping reference and cached blocks; batches already handed out stay valid. */
  close(): void {
    this.cache.evictSegment(this.path);
    this.file = new Uint8Array(0);
  }

  private mapped(): Uint8Array {
    if (this.file.length === 0) throw new LogError("invalid_argument", `segment ${this.path} is closed`);
    return this.file;
  }

  private block(i: number): DecodedBlock {
    const hit = this.cache.get(this.path, i);
    if (hit !== undefined) return hit;
    const decoded = this.decode(i);
    this.cache.set(this.path, i, decoded, this.blockList[i]!.rawLen);
    return decoded;
  }

  private decode(i: number): DecodedBlock {
    const b = this.blockList[i]!;
    const stored = this.mapped().subarray(b.offset, b.offset + b.storedLen);
    if (crc32(stored) !== b.crc) throw new CorruptError(this.path, b.offset, `block ${i} checksum mismatch`);
    try {
      const body = asBytes(decompressBlockBody(stored, b.codec, b.rawLen));
      if (body.length !== b.rawLen) throw new RangeError(`decoded ${body.length} bytes, directory says ${b.rawLen}`);
      return decodeBlock(body, b.first, b.count);
    } catch (err) {
      throw new CorruptError(this.path, b.offset, `block ${i}: ${errorMessage(err)}`);
    }
  }
}

/** The padding ranges between `dataEnd` (end of blocks), the sections and the directory. */
function paddingGaps(dataEnd: number, sections: readonly SectionEntry[], dirOffset: number): [number, number][] {
  const gaps: [number, number][] = [];
  let pos = dataEnd;
  for (const s of sections) {
    if (s.offset > pos) gaps.push([pos, s.offset]);
    pos = s.offset + s.length;
  }
  if (dirOffset > pos) gaps.push([pos, dirOffset]);
  return gaps;
}

/** A plain Uint8Array view of a Buffer (cheaper subarray/slice than Buffer's). */
function asBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
