/**
 * The segment directory codec (layout diagram in format.ts): chunk summary, one fixed 80-byte
 * entry per block, and the section table. Decoding validates every offset and length against
 * the file so readers can trust the directory afterwards: blocks tile the data region in order,
 * sections follow them in file order without overlapping.
 *
 *   summary (72): records u32 │ blockCount u32 │ sectionCount u32 │ codec u8 │ indexStatus u8
 *                 │ reserved u16 │ rawBytes f64 │ writeTs min,max │ ingestTs min,max
 *                 │ eventTs min,max (f64 each)
 *   block entry (80): offset u64 │ storedLen u32 │ rawLen u32 │ first u32 │ count u32
 *                 │ writeTs min,max │ ingestTs min,max │ eventTs min,max │ codec u8 │ 3 × 0
 *                 │ crc u32
 *   section entry: nameLen u8 │ name ASCII │ offset u64 │ length u64 │ crc u32
 */

import { ByteWriter } from "../../core/bytes/growable.ts";
import { CorruptError } from "../../core/errors.ts";
import type { BlockInfo, TimeRange } from "../types.ts";
import {
  CODEC_NAMES,
  MAX_BLOCK_BODY_BYTES,
  MAX_BLOCK_RECORDS,
  MAX_SECTION_NAME_BYTES,
  type CodecName,
  view,
} from "./format.ts";

export const SUMMARY_SIZE = 72;
export const BLOCK_ENTRY_SIZE = 80;

/** Index build outcome recorded in the file; order is the stored byte value. */
export const INDEX_STATUSES = ["none", "complete", "capped", "failed"] as const;
export type SegmentIndexStatus = (typeof INDEX_STATUSES)[number];

/** One block's directory entry; `first`/`count`/`writeTs`/`eventTs` serve as BlockInfo. */
export interface SegmentBlock extends BlockInfo {
  /** File offset of the stored bytes. */
  offset: number;
  storedLen: number;
  /** Uncompressed body length. */
  rawLen: number;
  ingestTs: TimeRange;
  codec: number;
  crc: number;
}

export interface SectionEntry {
  name: string;
  offset: number;
  length: number;
  crc: number;
}

export interface Directory {
  records: number;
  rawBytes: number;
  codec: CodecName;
  indexStatus: SegmentIndexStatus;
  writeTs: TimeRange;
  ingestTs: TimeRange;
  eventTs: TimeRange;
  blocks: SegmentBlock[];
  sections: SectionEntry[];
}

/** Encodes the directory; names must already be validated ASCII of at most 64 bytes. */
export function encodeDirectory(d: Directory): Uint8Array {
  const w = new ByteWriter(SUMMARY_SIZE + d.blocks.length * BLOCK_ENTRY_SIZE + 128);
  w.u32(d.records);
  w.u32(d.blocks.length);
  w.u32(d.sections.length);
  w.u8(CODEC_NAMES.indexOf(d.codec));
  w.u8(INDEX_STATUSES.indexOf(d.indexStatus));
  w.u8(0);
  w.u8(0);
  w.f64(d.rawBytes);
  writeRanges(w, d.writeTs, d.ingestTs, d.eventTs);
  for (const b of d.blocks) {
    w.u64(b.offset);
    w.u32(b.storedLen);
    w.u32(b.rawLen);
    w.u32(b.first);
    w.u32(b.count);
    writeRanges(w, b.writeTs, b.ingestTs, b.eventTs);
    w.u8(b.codec);
    w.u8(0);
    w.u8(0);
    w.u8(0);
    w.u32(b.crc);
  }
  for (const s of d.sections) {
    w.u8(s.name.length);
    w.ascii(s.name);
    w.u64(s.offset);
    w.u64(s.length);
    w.u32(s.crc);
  }
  return w.finish();
}

function writeRanges(w: ByteWriter, a: TimeRange, b: TimeRange, c: TimeRange): void {
  w.f64(a.min);
  w.f64(a.max);
  w.f64(b.min);
  w.f64(b.max);
  w.f64(c.min);
  w.f64(c.max);
}

/**
 * Decodes the directory `dir`, which the file holds at `dirOffset`. Blocks must tile
 * [dataStart, ...) in order with consecutive record ranges; sections must lie between the last
 * block and the directory. `path` and file offsets go into every CorruptError.
 */
export function decodeDirectory(path: string, dir: Uint8Array, dataStart: number, dirOffset: number): Directory {
  const end = dir.length;
  const fail = (at: number, detail: string): never => {
    throw new CorruptError(path, dirOffset + at, `directory: ${detail}`);
  };
  if (end < SUMMARY_SIZE) fail(0, `length ${end} shorter than the summary`);
  const v = view(dir);
  const records = v.getUint32(0, true);
  const blockCount = v.getUint32(4, true);
  const sectionCount = v.getUint32(8, true);
  const codec = CODEC_NAMES[v.getUint8(12)] ?? fail(12, "unknown codec");
  const indexStatus = INDEX_STATUSES[v.getUint8(13)] ?? fail(13, "unknown index status");
  if (SUMMARY_SIZE + blockCount * BLOCK_ENTRY_SIZE > end) fail(4, `block count ${blockCount} exceeds directory`);
  const blocks: SegmentBlock[] = new Array(blockCount);
  let at = SUMMARY_SIZE;
  let nextOffset = dataStart;
  let nextFirst = 0;
  for (let i = 0; i < blockCount; i++, at += BLOCK_ENTRY_SIZE) {
    const b = readBlockEntry(v, at);
    if (b.offset !== nextOffset || b.offset + b.storedLen > dirOffset) fail(at, `block ${i} at [${b.offset}, +${b.storedLen}) out of place`);
    if (b.first !== nextFirst || b.count === 0 || b.count > MAX_BLOCK_RECORDS) fail(at + 16, `block ${i} records [${b.first}, +${b.count}) out of range`);
    if (b.rawLen > MAX_BLOCK_BODY_BYTES || b.codec >= CODEC_NAMES.length) fail(at + 12, `block ${i} raw length or codec out of range`);
    nextOffset = b.offset + b.storedLen;
    nextFirst = b.first + b.count;
    blocks[i] = b;
  }
  if (nextFirst !== records) fail(0, `blocks hold ${nextFirst} records, summary says ${records}`);
  const sections: SectionEntry[] = [];
  for (let i = 0; i < sectionCount; i++) {
    if (at + 1 > end) fail(at, `section table truncated at entry ${i}`);
    const nameLen = dir[at]!;
    if (nameLen === 0 || nameLen > MAX_SECTION_NAME_BYTES || at + 1 + nameLen + 20 > end) fail(at, `section ${i} name length ${nameLen} out of range`);
    const name = asciiName(dir, at + 1, at + 1 + nameLen) ?? fail(at + 1, `section ${i} name is not printable ASCII`);
    at += 1 + nameLen;
    const offset = Number(v.getBigUint64(at, true));
    const length = Number(v.getBigUint64(at + 8, true));
    if (offset < nextOffset || offset + length > dirOffset) fail(at, `section "${name}" at [${offset}, +${length}) out of range`);
    if (sections.some((s) => s.name === name)) fail(at, `duplicate section "${name}"`);
    sections.push({ name, offset, length, crc: v.getUint32(at + 16, true) });
    nextOffset = offset + length;
    at += 20;
  }
  if (at !== end) fail(at, `${end - at} trailing bytes`);
  const [writeTs, ingestTs, eventTs] = readRanges(v, 24);
  return { records, rawBytes: v.getFloat64(16, true), codec, indexStatus, writeTs, ingestTs, eventTs, blocks, sections };
}

function readBlockEntry(v: DataView, at: number): SegmentBlock {
  const [writeTs, ingestTs, eventTs] = readRanges(v, at + 24);
  return {
    offset: Number(v.getBigUint64(at, true)),
    storedLen: v.getUint32(at + 8, true),
    rawLen: v.getUint32(at + 12, true),
    first: v.getUint32(at + 16, true),
    count: v.getUint32(at + 20, true),
    writeTs,
    ingestTs,
    eventTs,
    codec: v.getUint8(at + 72),
    crc: v.getUint32(at + 76, true),
  };
}

function readRanges(v: DataView, at: number): [TimeRange, TimeRange, TimeRange] {
  const r = (o: number): TimeRange => ({ min: v.getFloat64(at + o, true), max: v.getFloat64(at + o + 8, true) });
  return [r(0), r(16), r(32)];
}

/** The section name at buf[start, end) if every byte is printable ASCII, else undefined. */
function asciiName(buf: Uint8Array, start: number, end: number): string | undefined {
  let s = "";
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/** True when `name` is a valid section name: 1–64 printable ASCII characters. */
export function isValidSectionName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_SECTION_NAME_BYTES) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
