/**
 * Reads a sealed segment file through a read-only descriptor (segment-file.ts): open() reads
 * header, footer and directory only (O(blocks)); blocks are read, CRC-checked and decoded on
 * demand into the shared ByteCache (kept from their second use on), or into a buffer a scan
 * lends (then kept only while the cache has free room); sections are read whole
 * and CRC-checked, or by range (their formats check their own blocks). Never writes the file;
 * reads version 1 and 2 segments.
 */

import { crc32 } from "../../core/bytes/checksum.ts";
import { CorruptError, LogError, errorMessage } from "../../core/errors.ts";
import type { LogRecord } from "../../core/record.ts";
import { ByteCache } from "../byte-cache.ts";
import type { BlockTimes, DecodeBuffer, RecordBatch } from "../types.ts";
import { recordAt, sliceBatch } from "../record-batch.ts";
import { decodeBlock, decodeBlockTimes, decodeColumns, type DecodedBlock } from "./block.ts";
import { blockIndexOf, checkSectionRange } from "../reader-checks.ts";
import { decodeDirectory, type SectionEntry, type SegmentBlock } from "./directory.ts";
import { decompressBlockBody, decompressBlockHead, decompressBlockReusing } from "./codecs.ts";
import { CODEC_NONE, type CodecName, decodeFooter, decodeHeader, FOOTER_SIZE, HEADER_FIXED_SIZE, MAX_CHUNK_ID_BYTES, MIN_FILE_SIZE } from "./format.ts";
import { SegmentFile } from "./segment-file.ts";
import type { SegmentSummary } from "./writer.ts";
import { indexSectionBytes } from "../event-cells.ts";

/** Budget of a reader's own block cache when no shared one is given: a few blocks. */
export const PRIVATE_BLOCK_CACHE_BYTES = 8 << 20;
/** Bytes read from the end of the file at open: the footer and, usually, the whole directory. */
const TAIL_READ_BYTES = 16 << 10;

/** What the directory says about the whole segment: the writer's summary (without what only the seal saw) plus the codec. */
export type SegmentFileSummary = Omit<SegmentSummary, "sectionErrors" | "sections" | "indexMillis"> & { codec: CodecName };

export class SegmentReader {
  private readonly sectionsByName = new Map<string, SectionEntry>();
  private readonly verifiedSections = new Set<string>();

  private constructor(
    private readonly file: SegmentFile,
    readonly chunkId: string,
    readonly createdAt: number,
    /** Format version of the file (1 or 2, format.ts). */
    readonly version: number,
    readonly summary: SegmentFileSummary,
    private readonly blockList: readonly SegmentBlock[],
    sections: readonly SectionEntry[],
    /** [start, end) file ranges of alignment padding, which must be zero. */
    private readonly gaps: readonly (readonly [number, number])[],
    private readonly cache: ByteCache,
  ) {
    for (const s of sections) this.sectionsByName.set(s.name, s);
  }

  /**
   * Opens `path` read-only and validates magic, version, footer and directory (checksums
   * included). Throws CorruptError(path, offset, detail) for a damaged file, LogError not_found
   * (absent) or permission_denied (unreadable). Decoded blocks go to `cache` (shared by the
   * process) or a small private one.
   */
  static open(path: string, cache: ByteCache = new ByteCache(PRIVATE_BLOCK_CACHE_BYTES)): SegmentReader {
    const file = SegmentFile.open(path);
    try {
      return SegmentReader.load(file, cache);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  private static load(file: SegmentFile, cache: ByteCache): SegmentReader {
    const { path, size } = file;
    if (size < MIN_FILE_SIZE) throw new CorruptError(path, size, `file is ${size} bytes, smaller than any segment (${MIN_FILE_SIZE})`);
    const { header, version, end } = decodeHeader(path, file.read(0, Math.min(size, HEADER_FIXED_SIZE + MAX_CHUNK_ID_BYTES + 4)));
    const tailStart = Math.max(end, size - TAIL_READ_BYTES);
    const tail = file.read(tailStart, size - tailStart);
    const footer = decodeFooter(path, tail.subarray(tail.length - FOOTER_SIZE), size, end, version);
    const dirBytes = footer.dirOffset >= tailStart ? tail.subarray(footer.dirOffset - tailStart, footer.dirOffset - tailStart + footer.dirLength) : file.read(footer.dirOffset, footer.dirLength);
    if (crc32(dirBytes) !== footer.dirCrc) throw new CorruptError(path, footer.dirOffset, "directory checksum mismatch");
    const dir = decodeDirectory(path, dirBytes, end, footer.dirOffset);
    const summary: SegmentFileSummary = {
      records: dir.records,
      rawBytes: dir.rawBytes,
      storedBytes: size,
      indexBytes: indexSectionBytes(dir.sections),
      blocks: dir.blocks.length,
      writeTs: dir.writeTs,
      ingestTs: dir.ingestTs,
      eventTs: dir.eventTs,
      codec: dir.codec,
      indexStatus: dir.indexStatus,
    };
    const last = dir.blocks[dir.blocks.length - 1];
    const gaps = paddingGaps(last === undefined ? end : last.offset + last.storedLen, dir.sections, footer.dirOffset);
    return new SegmentReader(file, header.chunkId, header.createdAt, version, summary, dir.blocks, dir.sections, gaps, cache);
  }

  /** The file's path. */
  get path(): string {
    return this.file.path;
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

  /**
   * Records [from, to), clamped to [0, count()), one batch per block touched; zero-copy views.
   * With `reuse`, blocks are decoded into that buffer (ChunkView.batches: each batch is valid
   * until the next) unless the cache has free room to keep them (block()).
   */
  *batches(from: number, to: number, reuse?: DecodeBuffer): Iterable<RecordBatch> {
    const end = Math.min(to, this.count());
    let pos = Math.max(0, from);
    while (pos < end) {
      const bi = blockIndexOf(this.blockList, pos);
      const b = this.blockList[bi]!;
      const stop = Math.min(end, b.first + b.count);
      yield sliceBatch(this.block(bi, reuse), pos - b.first, stop - b.first);
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

  /**
   * Bytes [offset, offset + length) of section `name` in one positioned read. The whole section
   * is checked against its directory CRC; a part is not (formats read by range carry a CRC per
   * block). LogError not_found for an absent section, invalid_argument for a range outside it.
   */
  readSection(name: string, offset: number, length: number): Uint8Array {
    const s = this.sectionsByName.get(name);
    if (s === undefined) throw new LogError("not_found", `segment ${this.path} has no section "${name}"`);
    checkSectionRange(this.chunkId, name, s.length, offset, length);
    if (offset === 0 && length === s.length) return this.sectionBytes(s);
    return this.file.read(s.offset + offset, length);
  }

  /** File offset of section `name` (tests and tools that damage or inspect files). */
  sectionOffset(name: string): number | undefined {
    return this.sectionsByName.get(name)?.offset;
  }

  /**
   * Checks every block (CRC and full decode), every section CRC and that padding is zero, so
   * any damaged byte of the file is found. Throws the first CorruptError.
   */
  verify(): void {
    for (let i = 0; i < this.blockList.length; i++) decodeColumns(this.decode(i));
    for (const s of this.sectionsByName.values()) {
      this.verifiedSections.delete(s.name);
      this.sectionBytes(s);
    }
    for (const [start, end] of this.gaps) {
      const pad = this.file.read(start, end - start);
      const bad = pad.findIndex((b) => b !== 0);
      if (bad >= 0) throw new CorruptError(this.path, start + bad, "non-zero byte in section padding");
    }
  }

  /**
   * Closes the file; later reads throw. Its decoded blocks stay cached for a reopen (the store
   * evicts them when it deletes the chunk); batches already handed out stay valid.
   */
  close(): void {
    this.file.close();
  }

  /** The cache key prefix of this segment's blocks, for evicting them. */
  static cacheKeyPrefix(path: string): string {
    return `${path}#`;
  }

  /** The whole section, CRC-checked against the directory on its first read. */
  private sectionBytes(s: SectionEntry): Uint8Array {
    const bytes = this.file.read(s.offset, s.length);
    if (!this.verifiedSections.has(s.name)) {
      if (crc32(bytes) !== s.crc) throw new CorruptError(this.path, s.offset, `section "${s.name}" checksum mismatch`);
      this.verifiedSections.add(s.name);
    }
    return bytes;
  }

  /**
   * Block i, from the cache or decoded and offered to it; with `reuse`, decoded into that buffer
   * unless the cache would keep the block without evicting anything (ByteCache.admitsFreely).
   */
  private block(i: number, reuse?: DecodeBuffer): DecodedBlock {
    this.file.checkOpen();
    const key = this.blockKey(i);
    const hit = this.cache.get<DecodedBlock>(key);
    if (hit !== undefined) return hit;
    if (reuse !== undefined && !this.cache.admitsFreely(key, this.blockList[i]!.rawLen)) {
      this.cache.remember(key);
      return this.decode(i, reuse);
    }
    const decoded = this.decode(i);
    this.cache.offer(key, decoded, this.blockList[i]!.rawLen);
    return decoded;
  }

  /**
   * Source and ingest times of block i's records: from the cached block, else from the frames
   * before its payloads alone where the writer stored them apart (a tenth of the bytes to
   * decompress), else from the whole block as batches() decodes it.
   */
  blockTimes(i: number): BlockTimes {
    this.file.checkOpen();
    if (!(Number.isInteger(i) && i >= 0 && i < this.blockList.length)) {
      throw new LogError("invalid_argument", `block ${i} out of range [0, ${this.blockList.length}) in ${this.path}`);
    }
    let block = this.cache.get<DecodedBlock>(this.blockKey(i));
    if (block === undefined && this.blockList[i]!.codec !== CODEC_NONE) {
      const b = this.blockList[i]!;
      const stored = this.storedBytes(i);
      try {
        const head = decompressBlockHead(stored, b.codec);
        const times = head && decodeBlockTimes(head, b.count);
        if (times !== undefined) return times;
      } catch (err) {
        throw new CorruptError(this.path, b.offset, `block ${i}: ${errorMessage(err)}`);
      }
    }
    block ??= this.block(i);
    return { sourceTs: block.sourceTs, ingestTs: block.ingestTs };
  }

  private blockKey(i: number): string {
    return `${SegmentReader.cacheKeyPrefix(this.path)}${i}`;
  }

  /** Block i's stored bytes, checked against its CRC (a compressed block's live only until decompressed). */
  private storedBytes(i: number): Uint8Array {
    const b = this.blockList[i]!;
    const stored = b.codec === CODEC_NONE ? this.file.read(b.offset, b.storedLen) : this.file.readTransient(b.offset, b.storedLen);
    if (crc32(stored) !== b.crc) throw new CorruptError(this.path, b.offset, `block ${i} checksum mismatch`);
    return stored;
  }

  private decode(i: number, reuse?: DecodeBuffer): DecodedBlock {
    const b = this.blockList[i]!;
    const stored = this.storedBytes(i);
    try {
      const body = asBytes((reuse !== undefined ? decompressBlockReusing(stored, b.codec, b.rawLen, reuse) : undefined) ?? decompressBlockBody(stored, b.codec, b.rawLen));
      if (body.length !== b.rawLen) throw new RangeError(`decoded ${body.length} bytes, directory says ${b.rawLen}`);
      return decodeBlock(body, b.first, b.count, (err) => new CorruptError(this.path, b.offset, `block ${i}: ${errorMessage(err)}`));
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
