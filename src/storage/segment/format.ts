/**
 * The sealed segment file format: layout, constants, and the header/footer codecs. One immutable
 * file per sealed chunk. The directory codec is in directory.ts, the block body codec in block.ts.
 * Every decoder here rejects unknown versions and out-of-range values with CorruptError.
 *
 *   offset                       content
 *   0 ─────────────────────────┬──────────────────────────────────────────────────────────────
 *     HEADER                   │ magic "GLSG" (4) │ version u16 │ flags u16 (0) │ createdAt f64
 *                              │ idLen u16 │ chunkId (idLen bytes, UTF-8) │ headerCrc u32
 *   headerEnd ─────────────────┼──────────────────────────────────────────────────────────────
 *     BLOCK 0 .. BLOCK n-1     │ stored bytes, back to back: a zstd frame (codec 1), a raw
 *                              │ LZ4 block (codec 2) or the plain body (codec 0, also used
 *                              │ when compression would not shrink the block).
 *                              │ Body before compression (block.ts):
 *                              │   count u32 │ dataLen u32 │ columnsLen u32 │ columns │ data
 *                              │   columns: lengths (count varints)
 *                              │            writeTs, ingestTs, sourceTs (ts-column.ts each)
 *                              │            attrs: distinct varint, distinct × len varint,
 *                              │                   encoded maps, count × map index varint
 *                              │   data:    raw payloads concatenated
 *   ───────────────────────────┼──────────────────────────────────────────────────────────────
 *     SECTION 0 .. m-1         │ named extra sections (indexes, then the writer's event-cells
 *                              │ summary, ../event-cells.ts), each at an 8-aligned offset,
 *                              │ zero padding between
 *   dirOffset ─────────────────┼──────────────────────────────────────────────────────────────
 *     DIRECTORY                │ summary (72 bytes) │ blockCount × block entry (80 bytes)
 *                              │ sectionCount × section entry (nameLen u8, name, offset u64,
 *                              │                                length u64, crc u32)
 *   size - FOOTER_SIZE ────────┼──────────────────────────────────────────────────────────────
 *     FOOTER (32 bytes)        │ dirOffset u64 │ dirLength u32 │ dirCrc u32 │ version u16
 *                              │ flags u16 (0) │ reserved u32 (0) │ footerCrc u32 │ magic "GLSF"
 *   size ──────────────────────┴──────────────────────────────────────────────────────────────
 *
 * All integers little-endian; timestamps are f64 epoch microseconds. Checksums are CRC-32 of:
 * the header before its crc, each block's stored bytes, each section, the directory, the
 * footer's first 24 bytes. open() reads header + footer + directory only: O(blocks).
 */

import { crc32 } from "../../core/bytes/checksum.ts";
import { CorruptError, LogError } from "../../core/errors.ts";

/** "GLSG": first four bytes of every segment file. */
export const SEGMENT_MAGIC = 0x4753_4c47;
/** "GLSF": last four bytes of every segment file. */
export const FOOTER_MAGIC = 0x4653_4c47;
/**
 * The version this code writes. Version 2 changed no byte of this container: it marks index
 * sections written in the blocked term format (index/term-format.ts, a CRC per block, read by
 * range), where version 1 segments hold one-frame term sections. Both are read.
 */
export const SEGMENT_VERSION = 2;
/** Versions the reader accepts. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
/** No header or footer flags are defined; any set bit is rejected. */
export const KNOWN_FLAGS = 0;
/** Header bytes before the chunk ID (magic, version, flags, createdAt, idLen). */
export const HEADER_FIXED_SIZE = 18;
/** Longest chunk ID in UTF-8 bytes (UUIDv7 IDs are 36). */
export const MAX_CHUNK_ID_BYTES = 128;
export const FOOTER_SIZE = 32;
/** Smallest possible file: empty-ID header, empty directory summary, footer. */
export const MIN_FILE_SIZE = HEADER_FIXED_SIZE + 4 + 72 + FOOTER_SIZE;
/** Sections start at multiples of this so index readers may view them as typed arrays. */
export const SECTION_ALIGN = 8;
/** Longest section name, ASCII bytes. */
export const MAX_SECTION_NAME_BYTES = 64;
/** Most records in one block (bounds decode memory when payloads are tiny). */
export const MAX_BLOCK_RECORDS = 1 << 16;
/** Largest uncompressed block body accepted by the reader (guards decompression size). */
export const MAX_BLOCK_BODY_BYTES = 1 << 30;

/**
 * Block codec IDs stored in the directory summary and in each block entry (codecs.ts). New IDs
 * are appended without a version bump: files written before an ID existed never contain it, and
 * a reader that predates an ID rejects such a file as "unknown codec" (CorruptError) rather than
 * misreading it. Version 1 readers since lz4 was added read all three.
 */
export const CODEC_NONE = 0;
export const CODEC_ZSTD = 1;
/** Raw LZ4 block format (no frame); the directory's rawLen gives the decoded size. */
export const CODEC_LZ4 = 2;
export const CODEC_NAMES = ["none", "zstd", "lz4"] as const;
export type CodecName = (typeof CODEC_NAMES)[number];

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export interface SegmentHeader {
  chunkId: string;
  createdAt: number;
}

/** Encodes the header (including its trailing CRC). */
export function encodeHeader(h: SegmentHeader): Uint8Array {
  const id = utf8Encoder.encode(h.chunkId);
  if (id.length > MAX_CHUNK_ID_BYTES) {
    throw new LogError("invalid_argument", `chunk ID "${h.chunkId}" is ${id.length} bytes; limit ${MAX_CHUNK_ID_BYTES}`);
  }
  const out = new Uint8Array(HEADER_FIXED_SIZE + id.length + 4);
  const v = new DataView(out.buffer);
  v.setUint32(0, SEGMENT_MAGIC, true);
  v.setUint16(4, SEGMENT_VERSION, true);
  v.setUint16(6, KNOWN_FLAGS, true);
  v.setFloat64(8, h.createdAt, true);
  v.setUint16(16, id.length, true);
  out.set(id, HEADER_FIXED_SIZE);
  v.setUint32(HEADER_FIXED_SIZE + id.length, crc32(out.subarray(0, HEADER_FIXED_SIZE + id.length)), true);
  return out;
}

/** Decodes the header at the start of `file`; returns it and the offset where blocks start. */
export function decodeHeader(path: string, file: Uint8Array): { header: SegmentHeader; version: number; end: number } {
  const v = view(file);
  if (v.getUint32(0, true) !== SEGMENT_MAGIC) throw new CorruptError(path, 0, "bad magic: not a segment file");
  const version = v.getUint16(4, true);
  if (!READABLE_VERSIONS.includes(version)) throw new CorruptError(path, 4, `unknown segment version ${version}`);
  const flags = v.getUint16(6, true);
  if (flags !== KNOWN_FLAGS) throw new CorruptError(path, 6, `unknown header flags 0x${flags.toString(16)}`);
  const idLen = v.getUint16(16, true);
  if (idLen > MAX_CHUNK_ID_BYTES || HEADER_FIXED_SIZE + idLen + 4 > file.length) {
    throw new CorruptError(path, 16, `chunk ID length ${idLen} out of range`);
  }
  const end = HEADER_FIXED_SIZE + idLen;
  if (crc32(file.subarray(0, end)) !== v.getUint32(end, true)) {
    throw new CorruptError(path, end, "header checksum mismatch");
  }
  let chunkId: string;
  try {
    chunkId = utf8Decoder.decode(file.subarray(HEADER_FIXED_SIZE, end));
  } catch {
    throw new CorruptError(path, HEADER_FIXED_SIZE, "chunk ID is not valid UTF-8");
  }
  return { header: { chunkId, createdAt: v.getFloat64(8, true) }, version, end: end + 4 };
}

export interface Footer {
  dirOffset: number;
  dirLength: number;
  dirCrc: number;
}

/** Encodes the fixed-size footer. */
export function encodeFooter(f: Footer): Uint8Array {
  const out = new Uint8Array(FOOTER_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(f.dirOffset), true);
  v.setUint32(8, f.dirLength, true);
  v.setUint32(12, f.dirCrc, true);
  v.setUint16(16, SEGMENT_VERSION, true);
  v.setUint16(18, KNOWN_FLAGS, true);
  v.setUint32(20, 0, true);
  v.setUint32(24, crc32(out.subarray(0, 24)), true);
  v.setUint32(28, FOOTER_MAGIC, true);
  return out;
}

/**
 * Decodes the footer (the FOOTER_SIZE bytes `f` at the end of a `fileSize`-byte file), checks
 * that its version is `version` (the header's) and that the directory it points to lies
 * between `dataStart` (end of header) and the footer.
 */
export function decodeFooter(path: string, f: Uint8Array, fileSize: number, dataStart: number, version: number): Footer {
  const at = fileSize - FOOTER_SIZE;
  const v = view(f);
  if (v.getUint32(28, true) !== FOOTER_MAGIC) {
    throw new CorruptError(path, at + 28, "bad footer magic (truncated or incomplete file?)");
  }
  if (crc32(f.subarray(0, 24)) !== v.getUint32(24, true)) {
    throw new CorruptError(path, at, "footer checksum mismatch");
  }
  const footerVersion = v.getUint16(16, true);
  if (footerVersion !== version) throw new CorruptError(path, at + 16, `footer version ${footerVersion} differs from header version ${version}`);
  const flags = v.getUint16(18, true);
  if (flags !== KNOWN_FLAGS) throw new CorruptError(path, at + 18, `unknown footer flags 0x${flags.toString(16)}`);
  const dirOffset = Number(v.getBigUint64(0, true));
  const dirLength = v.getUint32(8, true);
  if (dirOffset < dataStart || dirOffset + dirLength !== at) {
    throw new CorruptError(path, at, `directory [${dirOffset}, +${dirLength}) does not end at the footer (${at})`);
  }
  return { dirOffset, dirLength, dirCrc: v.getUint32(12, true) };
}

/** A DataView over exactly the bytes of `b`. */
export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Bytes of padding needed after `offset` to reach the next multiple of SECTION_ALIGN. */
export function alignPadding(offset: number): number {
  return (SECTION_ALIGN - (offset % SECTION_ALIGN)) % SECTION_ALIGN;
}
