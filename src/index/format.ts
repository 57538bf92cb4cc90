/**
 * Byte layout of a term-index section, version 2 ("idx.tokens", "idx.attrs", "idx.msgkv"): a
 * small CRC-checked HEAD naming the section's term indexes with a sparse first-term table per
 * index, then the dictionary blocks (a few KB of sorted, front-coded terms each, zstd when that
 * shrinks them), each preceded by the posting lists too large to inline that it introduces
 * (identical lists are stored once: tokens that always occur together share one). A lookup
 * reads the head once (cached), binary-searches the first terms, reads ONE block and, for a
 * long list, that list: kilobytes, whatever the section's size. Prefix lookups are range scans
 * over consecutive blocks. This file owns the header and head codecs; term-block.ts the block
 * body; term-writer.ts and term-reader.ts put them together. Version 1 (one zstd frame per
 * section) is read by v1/term-section.ts.
 *
 *   0 ┌────────────────────────────────────────────────────────────────────────────────┐
 *     │ HEADER (16): magic "GLTX" │ version u8 = 2 │ status u8 │ count u8 │ 0 u8      │
 *     │              │ headLength u32 │ headCrc u32 (CRC-32 of the HEAD bytes)         │
 *  16 ├────────────────────────────────────────────────────────────────────────────────┤
 *     │ HEAD (headLength bytes), `count` index entries:                                │
 *     │   nameLen u8 │ name (ASCII) │ termCount varint │ bytes varint │ blockCount     │
 *     │   varint, then blockCount first-term entries, in term order:                   │
 *     │     firstLen varint │ first term │ terms varint │ offset varint │ listsLen     │
 *     │     varint │ storedLen varint │ rawLen varint │ codec u8 │ crc u32 (of the     │
 *     │     stored block)                                                              │
 *  16 + headLength = dataStart ────────────────────────────────────────────────────────┤
 *     │ LISTS (listsLen bytes at dataStart + offset): the external lists this block is  │
 *     │   the first to use, each: codec u8 (0 plain, 1 zstd) │ the postings.ts          │
 *     │   encoding (or a zstd frame of it)                                             │
 *     │ BLOCK (storedLen bytes right after its lists): codec 0 = the body as is,       │
 *     │   codec 1 = a zstd frame of it; rawLen = body bytes (term-block.ts):           │
 *     │     per term: shared varint │ suffixLen varint │ suffix │ count varint         │
 *     │               │ ref varint = listLen × 2 + external                            │
 *     │               │ inline (external 0): listLen bytes, the postings.ts encoding   │
 *     │               │ external (1): listOffset varint (from dataStart; in this or an │
 *     │               │   earlier LISTS area) │ crc u32 of the stored list           │
 *     │ ... next lists and block ... (indexes in head order, blocks in term order)     │
 *     └────────────────────────────────────────────────────────────────────────────────┘
 *
 * Little-endian; terms are bytes compared unsigned, strictly ascending within an index; `shared`
 * is the prefix length shared with the previous term of the same block (0 for its first).
 * `bytes` is the index's block+list bytes (reports). Status: 0 complete, 1 capped (empty by
 * design), 2 budget (entries dropped). Every block and external list carries its own CRC, so
 * nothing reads or checks the whole section on a lookup.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import { readVarint, type VarintCursor } from "../core/bytes/varint.ts";
import { LogError } from "../core/errors.ts";

export const TERM_SECTION_MAGIC = new Uint8Array([0x47, 0x4c, 0x54, 0x58]); // "GLTX"
/** The version written; version 1 sections are read by v1/term-section.ts. */
export const TERM_SECTION_VERSION = 2;
export const HEADER_SIZE = 16;
/** Most named indexes in one section. */
export const MAX_INDEXES_PER_SECTION = 16;
export const MAX_INDEX_NAME_BYTES = 32;
/** Largest head a reader accepts (about 60k blocks of 16-byte terms). */
export const MAX_HEAD_BYTES = 4 << 20;
/** Largest decoded block a reader accepts. */
export const MAX_BLOCK_RAW_BYTES = 1 << 20;
/** Largest term (tokens are ≤ 16 bytes; attribute pairs ≤ 128 + 1 + 4096). */
export const MAX_TERM_BYTES = 8192;
/** Block body target: a block is closed once its body reaches this many bytes. */
export const DEFAULT_BLOCK_BYTES = 4096;
/** Posting lists up to this many encoded bytes are stored inside the dictionary block. */
export const INLINE_LIST_BYTES = 48;
/** External lists at least this long are zstd-compressed when that saves an eighth. */
export const COMPRESS_LIST_BYTES = 256;
/** zstd level of blocks and lists. */
export const ZSTD_LEVEL = 3;
export const CODEC_PLAIN = 0;
export const CODEC_ZSTD = 1;
/** Bytes read first when opening a section: the header and, usually, the whole head. */
export const HEAD_PROBE_BYTES = 8192;

export const TERM_STATUSES = ["complete", "capped", "budget"] as const;
/** complete: exact; capped: a hard cap hit, written empty; budget: entries dropped. */
export type TermSectionStatus = (typeof TERM_STATUSES)[number];

/** One dictionary block as the head describes it. */
export interface BlockEntry {
  /** Its first term's bytes. */
  readonly first: Uint8Array;
  readonly terms: number;
  /** Offset of its lists area from the end of the head (SectionHead.dataStart); the block follows it. */
  readonly offset: number;
  readonly listsLen: number;
  readonly storedLen: number;
  readonly rawLen: number;
  readonly codec: number;
  readonly crc: number;
}

/** One named index of a section's head. */
export interface IndexEntry {
  readonly name: string;
  readonly termCount: number;
  /** Bytes of its blocks and lists. */
  readonly bytes: number;
  readonly blocks: readonly BlockEntry[];
}

export interface SectionHead {
  readonly status: TermSectionStatus;
  readonly indexes: readonly IndexEntry[];
  /** HEADER_SIZE + headLength: where the first block may start. */
  readonly dataStart: number;
}

/** Throws LogError("invalid_argument") unless `n` is a usable dictionary block target. */
export function checkBlockBytes(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BLOCK_RAW_BYTES / 2) {
    throw new LogError("invalid_argument", `dictionary block size must be an integer in 1..${MAX_BLOCK_RAW_BYTES / 2} bytes, got ${n}`);
  }
}

function corrupt(detail: string): LogError {
  return new LogError("corrupt", `term index section: ${detail}`);
}

/** Encodes the header and head for `indexes`; the data area (blocks and lists) follows it. */
export function encodeHead(status: TermSectionStatus, indexes: readonly IndexEntry[]): Uint8Array {
  if (indexes.length < 1 || indexes.length > MAX_INDEXES_PER_SECTION) {
    throw new LogError("invalid_argument", `term section: ${indexes.length} indexes, want 1..${MAX_INDEXES_PER_SECTION}`);
  }
  const w = new ByteWriter(256);
  for (const x of indexes) {
    if (x.name.length < 1 || x.name.length > MAX_INDEX_NAME_BYTES || !/^[\x21-\x7e]+$/.test(x.name)) {
      throw new LogError("invalid_argument", `term section: bad index name "${x.name}"`);
    }
    w.u8(x.name.length);
    w.ascii(x.name);
    w.varint(x.termCount);
    w.varint(x.bytes);
    w.varint(x.blocks.length);
    for (const b of x.blocks) {
      w.varint(b.first.length);
      w.bytes(b.first);
      w.varint(b.terms);
      w.varint(b.offset);
      w.varint(b.listsLen);
      w.varint(b.storedLen);
      w.varint(b.rawLen);
      w.u8(b.codec);
      w.u32(b.crc);
    }
  }
  const head = w.finish();
  if (head.length > MAX_HEAD_BYTES) throw new LogError("limit", `term section head of ${head.length} bytes exceeds ${MAX_HEAD_BYTES}`);
  const out = new ByteWriter(HEADER_SIZE + head.length);
  out.bytes(TERM_SECTION_MAGIC);
  out.u8(TERM_SECTION_VERSION);
  out.u8(TERM_STATUSES.indexOf(status));
  out.u8(indexes.length);
  out.u8(0);
  out.u32(head.length);
  out.u32(crc32(head));
  out.bytes(head);
  return out.finish();
}

/** The version byte of a section that starts with the term-section magic, else undefined. */
export function sectionVersion(b: Uint8Array): number | undefined {
  if (b.length < 5) return undefined;
  for (let i = 0; i < 4; i++) if (b[i] !== TERM_SECTION_MAGIC[i]) return undefined;
  return b[4];
}

/** Validates a version-2 header (its first HEADER_SIZE bytes); returns the head length. */
export function decodeHeaderLength(b: Uint8Array): number {
  if (b.length < HEADER_SIZE) throw corrupt(`${b.length} bytes is shorter than the ${HEADER_SIZE}-byte header`);
  const version = sectionVersion(b);
  if (version === undefined) throw corrupt("bad magic");
  if (version !== TERM_SECTION_VERSION) throw corrupt(`unknown version ${version}`);
  if (b[7] !== 0) throw corrupt(`reserved byte is ${b[7]}`);
  const headLength = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(8, true);
  if (headLength > MAX_HEAD_BYTES) throw corrupt(`head length ${headLength} exceeds ${MAX_HEAD_BYTES}`);
  return headLength;
}

function varint(b: Uint8Array, cur: VarintCursor, what: string): number {
  try {
    return readVarint(b, cur);
  } catch {
    throw corrupt(`head: truncated ${what} at offset ${HEADER_SIZE + cur.pos}`);
  }
}

/**
 * Decodes header + head (`b` holds at least HEADER_SIZE + headLength bytes) of a section of
 * `sectionLength` bytes: checks the head CRC, every name, count and range, that blocks are
 * ordered, tile the data area without overlap and have strictly ascending first terms.
 */
export function decodeHead(b: Uint8Array, sectionLength: number): SectionHead {
  const headLength = decodeHeaderLength(b);
  const status = TERM_STATUSES[b[5]!] ?? fail(`unknown status ${b[5]}`);
  const count = b[6]!;
  if (count < 1 || count > MAX_INDEXES_PER_SECTION) fail(`index count ${count} out of range 1..${MAX_INDEXES_PER_SECTION}`);
  const dataStart = HEADER_SIZE + headLength;
  if (dataStart > sectionLength || b.length < dataStart) fail(`head of ${headLength} bytes overruns the section`);
  const head = b.subarray(HEADER_SIZE, dataStart);
  if (crc32(head) !== new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(12, true)) fail("head checksum mismatch");
  const cur: VarintCursor = { pos: 0 };
  const indexes: IndexEntry[] = [];
  let next = 0;
  const dataLength = sectionLength - dataStart;
  for (let i = 0; i < count; i++) {
    const nameLen = head[cur.pos] ?? 0;
    if (nameLen < 1 || nameLen > MAX_INDEX_NAME_BYTES || cur.pos + 1 + nameLen > head.length) fail(`index name length ${nameLen} at head offset ${cur.pos}`);
    const name = String.fromCharCode(...head.subarray(cur.pos + 1, cur.pos + 1 + nameLen));
    cur.pos += 1 + nameLen;
    const termCount = varint(head, cur, "term count");
    const bytes = varint(head, cur, "byte count");
    const blockCount = varint(head, cur, "block count");
    if (blockCount > termCount || blockCount > head.length) fail(`index "${name}": ${blockCount} blocks for ${termCount} terms`);
    const blocks: BlockEntry[] = [];
    let terms = 0;
    let prev: Uint8Array | undefined;
    const start = next;
    for (let k = 0; k < blockCount; k++) {
      const b = decodeBlockEntry(head, cur, name, k);
      if (b.offset !== next || b.offset + b.storedLen + b.listsLen > dataLength) fail(`index "${name}" block ${k} at [${b.offset}, +${b.storedLen + b.listsLen}) out of place`);
      if (prev !== undefined && compareBytes(prev, 0, prev.length, b.first) >= 0) fail(`index "${name}" block ${k}: first terms not ascending`);
      prev = b.first;
      next = b.offset + b.storedLen + b.listsLen;
      terms += b.terms;
      blocks.push(b);
    }
    if (terms !== termCount) fail(`index "${name}": blocks hold ${terms} terms, head says ${termCount}`);
    if (next - start !== bytes) fail(`index "${name}": blocks cover ${next - start} bytes, head says ${bytes}`);
    indexes.push({ name, termCount, bytes, blocks });
  }
  if (cur.pos !== head.length) fail(`${head.length - cur.pos} trailing head bytes`);
  if (next !== dataLength) fail(`blocks end at ${next} of ${dataLength} data bytes`);
  return { status, indexes, dataStart };
}

function decodeBlockEntry(head: Uint8Array, cur: VarintCursor, name: string, k: number): BlockEntry {
  const firstLen = varint(head, cur, "first term length");
  if (firstLen > MAX_TERM_BYTES || cur.pos + firstLen > head.length) fail(`index "${name}" block ${k}: first term of ${firstLen} bytes`);
  const first = head.slice(cur.pos, cur.pos + firstLen);
  cur.pos += firstLen;
  const terms = varint(head, cur, "block term count");
  const offset = varint(head, cur, "block offset");
  const listsLen = varint(head, cur, "block lists length");
  const storedLen = varint(head, cur, "block length");
  const rawLen = varint(head, cur, "block raw length");
  if (cur.pos + 5 > head.length) fail(`index "${name}" block ${k}: truncated entry`);
  const codec = head[cur.pos]!;
  const crc = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(cur.pos + 1, true);
  cur.pos += 5;
  if (terms < 1 || rawLen > MAX_BLOCK_RAW_BYTES || (codec !== CODEC_PLAIN && codec !== CODEC_ZSTD)) fail(`index "${name}" block ${k}: ${terms} terms, ${rawLen} raw bytes, codec ${codec}`);
  if (codec === CODEC_PLAIN && storedLen !== rawLen) fail(`index "${name}" block ${k}: plain block of ${storedLen} bytes, raw ${rawLen}`);
  return { first, terms, offset, listsLen, storedLen, rawLen, codec, crc };
}

function fail(detail: string): never {
  throw corrupt(detail);
}

/** Unsigned bytewise comparison of a[start, end) with q. */
export function compareBytes(a: Uint8Array, start: number, end: number, q: Uint8Array): number {
  const n = Math.min(end - start, q.length);
  for (let i = 0; i < n; i++) {
    const d = a[start + i]! - q[i]!;
    if (d !== 0) return d;
  }
  return end - start - q.length;
}

/** Decodes stored bytes of `codec`, into exactly `rawLen` bytes unless it is -1 (CorruptError otherwise). */
export function decodeStored(stored: Uint8Array, codec: number, rawLen: number, what: string): Uint8Array {
  if (codec === CODEC_PLAIN) return stored;
  if (codec !== CODEC_ZSTD) throw corrupt(`${what}: unknown codec ${codec}`);
  let raw: Uint8Array;
  try {
    raw = Bun.zstdDecompressSync(stored);
  } catch (err) {
    throw corrupt(`${what}: zstd: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (rawLen >= 0 && raw.length !== rawLen) throw corrupt(`${what}: decoded ${raw.length} bytes, expected ${rawLen}`);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** zstd-compresses `raw` when that saves at least an eighth; returns the bytes and codec. */
export function encodeStored(raw: Uint8Array): { stored: Uint8Array; codec: number } {
  const z = Bun.zstdCompressSync(raw, { level: ZSTD_LEVEL });
  return z.length <= raw.length - (raw.length >>> 3) ? { stored: new Uint8Array(z.buffer, z.byteOffset, z.byteLength), codec: CODEC_ZSTD } : { stored: raw, codec: CODEC_PLAIN };
}
