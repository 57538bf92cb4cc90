/**
 * Writes one sealed segment file (format.ts) from a chunk's record batches: cuts blocks by raw
 * size, compresses them with the store's codec (codecs.ts), runs the section builders alongside, then writes the
 * sections (the builders' and the event-cells summary of each block, event-cells.ts), directory and footer to <path>.tmp, fsyncs, and renames into place. Synchronous:
 * it runs inside the sealing worker, never on the ingest path.
 */

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "../../core/bytes/checksum.ts";
import { LogError } from "../../core/errors.ts";
import type { RecordBatch, SectionBuilder, SectionOutcome, TimeRange } from "../types.ts";
import { BlockEncoder } from "./block.ts";
import { encodeDirectory, type SectionEntry, type SegmentBlock, type SegmentIndexStatus } from "./directory.ts";
import { compressBlockBody } from "./codecs.ts";
import { alignPadding, CODEC_NAMES, type CodecName, encodeFooter, encodeHeader, MAX_BLOCK_RECORDS, type SegmentHeader } from "./format.ts";
import { SectionRunner } from "./sections.ts";
import { TimeRanges } from "./time-ranges.ts";
import { EVENT_CELLS_SECTION, EventCellsWriter, indexSectionBytes } from "../event-cells.ts";
import { GcPacer } from "../../core/gc-pacer.ts";

export interface SegmentWriteOptions {
  /** Block codec (per-store setting): "zstd", "lz4", or "none" to store blocks uncompressed. */
  codec: CodecName;
  /** zstd level (1-22; 3 is zstd's default); ignored by lz4 and none. */
  level: number;
  /** Target uncompressed payload bytes per block; a block is cut once it reaches this. */
  blockRawBytes: number;
}

/**
 * Defaults measured on the 16 loghub samples (4.4 MB): 1 MiB blocks at level 3 store 0.125 of
 * raw bytes (zstd -3 on the plain files: 0.101) and decode+scan at ~1.4 GB/s. On 35 MB of
 * concatenated samples 256 KiB blocks stored 0.128 vs 0.118 for 1 MiB, with no faster scans;
 * 2 and 4 MiB blocks of the raw lines at zstd -3 store 0.192 of the generated corpus (1 MiB:
 * 0.191) and 0.268/0.265 of resampled loghub (0.275), for 2-4x the bytes decoded per record
 * read. Level 6 (issue 19): the 1M-line bench corpus's blocks 0.211 -> 0.192 of raw, resampled
 * loghub 0.325 -> 0.308; zstd -6 compresses at about a third of -3's speed (+9% of a 1M-line
 * import's CPU on the bench corpus, +13% on loghub; paired import benches measured +14-20%)
 * and scans decode at the same speed (config.md "Compression codecs"; a store's
 * `compression.level` overrides it).
 */
export const DEFAULT_SEGMENT_OPTIONS: Readonly<SegmentWriteOptions> = { codec: "zstd", level: 6, blockRawBytes: 1 << 20 };

/** Largest accepted blockRawBytes (bounds reader memory per decoded block). */
export const MAX_BLOCK_RAW_BYTES = 64 << 20;

export interface SegmentSummary {
  records: number;
  rawBytes: number;
  /** Whole file size. */
  storedBytes: number;
  /** Bytes of the index sections (all but event-cells). */
  indexBytes: number;
  blocks: number;
  writeTs: TimeRange;
  ingestTs: TimeRange;
  eventTs: TimeRange;
  /** "none" without builders; "failed" when a builder threw (its section is omitted). */
  indexStatus: SegmentIndexStatus;
  sectionErrors: string[];
  /** Each section builder's outcome. */
  sections: SectionOutcome[];
  /** Time spent in section builders (index builds), ms. */
  indexMillis: number;
}

/**
 * Writes <path>.tmp, fsyncs, renames to `path`, fsyncs the directory. Feeds every batch to each
 * builder too. Timestamps must be safe non-negative integers (else LogError invalid_argument);
 * on any error the temporary file is removed and nothing is left at `path`.
 */
export function writeSegment(
  path: string,
  header: SegmentHeader,
  batches: Iterable<RecordBatch>,
  options: SegmentWriteOptions,
  builders: SectionBuilder[],
): SegmentSummary {
  checkOptions(options);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  let closed = false;
  try {
    const summary = new SegmentFileWriter(fd, options).write(header, batches, new SectionRunner(builders));
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(tmp, path);
    fsyncDir(dirname(path));
    return summary;
  } catch (err) {
    if (!closed) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

function checkOptions(o: SegmentWriteOptions): void {
  if (!CODEC_NAMES.includes(o.codec)) throw new LogError("invalid_argument", `unknown segment codec "${o.codec}"`);
  if (!Number.isInteger(o.level) || o.level < 1 || o.level > 22) throw new LogError("invalid_argument", `zstd level ${o.level} is not an integer in 1..22`);
  if (!Number.isInteger(o.blockRawBytes) || o.blockRawBytes < 1 || o.blockRawBytes > MAX_BLOCK_RAW_BYTES) {
    throw new LogError("invalid_argument", `blockRawBytes ${o.blockRawBytes} is not an integer in 1..${MAX_BLOCK_RAW_BYTES}`);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

class SegmentFileWriter {
  private offset = 0;
  private records = 0;
  private rawBytes = 0;
  private readonly enc = new BlockEncoder();
  private readonly blockRanges = new TimeRanges();
  private readonly totalRanges = new TimeRanges();
  private readonly blocks: SegmentBlock[] = [];
  private readonly cells = new EventCellsWriter();

  constructor(
    private readonly fd: number,
    private readonly options: SegmentWriteOptions,
  ) {}

  write(header: SegmentHeader, batches: Iterable<RecordBatch>, runner: SectionRunner): SegmentSummary {
    this.put(encodeHeader(header));
    const { enc, blockRanges, options } = this;
    const gc = new GcPacer();
    for (const batch of batches) {
      runner.add(batch);
      for (let i = 0; i < batch.count; i++) {
        const w = batch.writeTs[i]!;
        const ing = batch.ingestTs[i]!;
        const src = batch.sourceTs[i]!;
        if (!isTimestamp(w) || !isTimestamp(ing) || !isTimestamp(src)) {
          throw new LogError("invalid_argument", `record ${batch.first + i}: timestamps ${w}/${ing}/${src} are not non-negative integers`);
        }
        enc.add(batch, i);
        blockRanges.add(w, ing, src !== 0 ? src : ing);
        this.cells.add(src !== 0 ? src : ing);
        if (enc.dataBytes >= options.blockRawBytes || enc.count === MAX_BLOCK_RECORDS) this.flushBlock();
      }
      enc.endBatch();
      gc.tick();
    }
    if (enc.count > 0) this.flushBlock();
    const sections = this.writeSections(runner, () => gc.check());
    const indexBytes = indexSectionBytes(sections);
    const t = this.totalRanges;
    const dir = encodeDirectory({
      records: this.records,
      rawBytes: this.rawBytes,
      codec: options.codec,
      indexStatus: runner.status(),
      writeTs: t.write(),
      ingestTs: t.ingest(),
      eventTs: t.event(),
      blocks: this.blocks,
      sections,
    });
    const dirOffset = this.offset;
    this.put(dir);
    this.put(encodeFooter({ dirOffset, dirLength: dir.length, dirCrc: crc32(dir) }));
    return {
      records: this.records,
      rawBytes: this.rawBytes,
      storedBytes: this.offset,
      indexBytes,
      blocks: this.blocks.length,
      writeTs: t.write(),
      ingestTs: t.ingest(),
      eventTs: t.event(),
      indexStatus: runner.status(),
      sectionErrors: runner.errors,
      sections: runner.outcomes,
      indexMillis: runner.millis,
    };
  }

  private flushBlock(): void {
    const { enc, blockRanges } = this;
    const body = enc.encode();
    const { stored, codec } = compressBlockBody(body, this.options.codec, this.options.level, enc.frameCuts);
    this.blocks.push({
      offset: this.offset,
      storedLen: stored.length,
      rawLen: body.length,
      first: this.records,
      count: enc.count,
      writeTs: blockRanges.write(),
      ingestTs: blockRanges.ingest(),
      eventTs: blockRanges.event(),
      codec,
      crc: crc32(stored),
    });
    this.put(stored);
    this.cells.endBlock(enc.count);
    this.records += enc.count;
    this.rawBytes += enc.dataBytes;
    this.totalRanges.merge(blockRanges);
    blockRanges.reset();
    enc.reset();
  }

  private writeSections(runner: SectionRunner, afterEach: () => void): SectionEntry[] {
    const out: SectionEntry[] = [];
    for (const s of [...runner.finish(afterEach), { name: EVENT_CELLS_SECTION, bytes: this.cells.finish() }]) {
      this.put(new Uint8Array(alignPadding(this.offset)));
      out.push({ name: s.name, offset: this.offset, length: s.bytes.length, crc: crc32(s.bytes) });
      this.put(s.bytes);
    }
    return out;
  }

  private put(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }
}

function isTimestamp(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}
