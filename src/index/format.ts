/**
 * Byte layout of a term-index section, version 2 ("idx.tokens", "idx.attrs", "idx.msgkv"): a
 * small CRC-checked HEAD naming the section's term indexes with a sparse first-term table per
 * index (fixed-width entries, binary-searched in place), then the dictionary blocks (8 KB
 * of sorted, front-coded terms each before compression, zstd when that shrinks them, restart points every 16
 * terms), each preceded by the posting lists too large to inline that it introduces (identical
 * lists are stored once: tokens that always occur together share one). A lookup reads the head
 * once (cached), binary-searches the first terms, reads ONE block, binary-searches its restarts,
 * scans at most 16 terms and, for a long list, reads that list: kilobytes and microseconds,
 * whatever the section's size. Prefix lookups are range scans over consecutive blocks. This
 * file owns the layout, constants and header; head.ts the head, term-block.ts the block body,
 * term-writer.ts and term-reader.ts put them together. Version 1 (one zstd frame per section)
 * is read by v1/term-section.ts.
 *
 *   0 ┌────────────────────────────────────────────────────────────────────────────────┐
 *     │ HEADER (16): magic "GLTX" │ version u8 = 2 │ status u8 │ count u8 │ 0 u8      │
 *     │              │ headLength u32 │ headCrc u32 (CRC-32 of bytes 0..11, then HEAD) │
 *  16 ├────────────────────────────────────────────────────────────────────────────────┤
 *     │ HEAD (headLength bytes), `count` index entries:                                │
 *     │   nameLen u8 │ name (ASCII) │ termCount u32 │ bytes u32 │ blockCount u32       │
 *     │   │ firstTermsLen u32                                                          │
 *     │   blockCount × block entry (29 bytes), in term order: firstEnd u32 (end of its │
 *     │     first term in the first terms) │ terms u32 │ offset u32 │ listsLen u32     │
 *     │     │ storedLen u32 │ rawLen u32 │ crc u32 (of the stored block) │ codec u8    │
 *     │   first terms: each block's first term, concatenated (firstTermsLen bytes)     │
 *  16 + headLength = dataStart ────────────────────────────────────────────────────────┤
 *     │ LISTS (listsLen bytes at dataStart + offset): the external lists this block is │
 *     │   the first to use, each: codec u8 (0 plain, 1 zstd) │ the postings.ts         │
 *     │   encoding (or a zstd frame of it)                                             │
 *     │ BLOCK (storedLen bytes right after its lists): codec 0 = the body as is,       │
 *     │   codec 1 = a zstd frame of it; rawLen = body bytes (term-block.ts):           │
 *     │     per term: shared varint │ suffixLen varint │ suffix │ ref varint = v × 4 + │
 *     │               kind, then by kind:                                              │
 *     │       0 inline: v = listLen; listLen bytes, the postings.ts encoding (its     │
 *     │         header holds the position count)                                       │
 *     │       1 external: v = listLen; count varint │ listOffset varint (from         │
 *     │         dataStart; in this or an earlier LISTS area) │ crc u32 of the list   │
 *     │       2 single: v = the one position (nothing follows)                         │
 *     │     then the restart table: ceil(terms / 16) × u32 (body offset of terms 0,    │
 *     │     16, 32, ..., each stored with shared = 0) │ restartCount u32               │
 *     │ ... next lists and block ... (indexes in head order, blocks in term order)     │
 *     └────────────────────────────────────────────────────────────────────────────────┘
 *
 * Little-endian; terms are bytes compared unsigned, strictly ascending within an index; `shared`
 * is the prefix length shared with the previous term of the same block. `bytes` is the index's
 * list+block bytes (reports). Status: 0 complete, 1 capped (empty by design), 2 budget (entries
 * dropped). The head is CRC-checked as a whole and each block entry is range-checked when used;
 * every block and external list carries its own CRC, so nothing reads or checks the whole
 * section on a lookup.
 */

import { LogError } from "../core/errors.ts";

export const TERM_SECTION_MAGIC = new Uint8Array([0x47, 0x4c, 0x54, 0x58]); // "GLTX"
/** The version written; version 1 sections are read by v1/term-section.ts. */
export const TERM_SECTION_VERSION = 2;
export const HEADER_SIZE = 16;
/** Most named indexes in one section. */
export const MAX_INDEXES_PER_SECTION = 16;
export const MAX_INDEX_NAME_BYTES = 32;
/** Largest head a reader accepts (about 90k blocks of 16-byte terms). */
export const MAX_HEAD_BYTES = 4 << 20;
/** Bytes of one fixed-width block entry in the head. */
export const BLOCK_ENTRY_BYTES = 29;
/** Every RESTART_INTERVAL-th term of a block is stored whole, and listed in its restart table. */
export const RESTART_INTERVAL = 16;
/** Largest decoded block a reader accepts. */
export const MAX_BLOCK_RAW_BYTES = 1 << 20;
/** Largest term (tokens are ≤ 16 bytes; attribute pairs ≤ 128 + 1 + 4096). */
export const MAX_TERM_BYTES = 8192;
/** Block body target: a block is closed once its body reaches this many bytes (~5 KB stored). */
export const DEFAULT_BLOCK_BYTES = 8192;
/** Posting lists up to this many encoded bytes are stored inside the dictionary block. */
export const INLINE_LIST_BYTES = 48;
/** External lists at least this long are zstd-compressed when that saves an eighth. */
export const COMPRESS_LIST_BYTES = 256;
/** zstd level of blocks and lists. */
export const ZSTD_LEVEL = 3;
export const CODEC_PLAIN = 0;
export const CODEC_ZSTD = 1;
/** Bytes read first when opening a section: the header and, usually, the whole head. */
export const HEAD_PROBE_BYTES = 4096;

export const TERM_STATUSES = ["complete", "capped", "budget"] as const;
/** complete: exact; capped: a hard cap hit, written empty; budget: entries dropped. */
export type TermSectionStatus = (typeof TERM_STATUSES)[number];

/** Throws LogError("invalid_argument") unless `n` is a usable dictionary block target. */
export function checkBlockBytes(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BLOCK_RAW_BYTES / 2) {
    throw new LogError("invalid_argument", `dictionary block size must be an integer in 1..${MAX_BLOCK_RAW_BYTES / 2} bytes, got ${n}`);
  }
}

/** A LogError("corrupt") about a term section. */
export function corrupt(detail: string): LogError {
  return new LogError("corrupt", `term index section: ${detail}`);
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
