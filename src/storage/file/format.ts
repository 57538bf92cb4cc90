/**
 * On-disk layout of a file store and the active-chunk file format (sealed segments: see
 * segment/format.ts). All integers little-endian; times are epoch µs stored as f64 (exact
 * integers below 2^53).
 *
 *   <dir>/
 *     .lock                  {"pid":N,"host":"h","startedAt":"RFC3339"} — created atomically
 *                            (hard link of a complete temp file = O_EXCL with content); the
 *                            one writer's. Readers beside it write nothing (read-only-store.ts)
 *     catalog.sqlite (+wal)  chunk metadata cache (bun:sqlite, WAL); rebuilt from files at open
 *     active/
 *       <chunk-id>/          the active chunk, or one being sealed
 *         entries            header(16) + N x entry(32)    <- commit point, written last
 *         raw                header(16) + payloads back to back
 *         attrs              header(16) + attrs-codec maps back to back
 *       <chunk-id>.tmp/      a chunk being created; renamed into place once its headers are synced
 *     sealed/
 *       <chunk-id>.seg       immutable sealed segment
 *       <chunk-id>.seg.tmp   a segment being written (renamed into place when complete)
 *       <chunk-id>.seg.part.tmp  sections a split seal's helper built (seal-split.ts), read and
 *                            deleted by the seal's writer
 *
 *   header, 16 bytes, same in all three files:
 *     0 magic "GLAC" | 4 kind u8 ('e' entries, 'r' raw, 'a' attrs) | 5 version u8 = 1
 *     6 reserved u16 = 0 | 8 createdAt f64 µs (equal in all three files)
 *
 *   entry i at 16 + 32·i (8-aligned, so the entries region is read as Float64Array/Uint32Array):
 *     0 writeTs f64 | 8 ingestTs f64 | 16 sourceTs f64 (0 = unknown)
 *     24 rawEnd u32 | 28 attrEnd u32   — end offsets in the data regions after the headers;
 *                                        record i spans [end(i-1), end(i)), end(-1) = 0
 *
 * Write protocol (one append batch): raw and attrs get one positioned write each; under the
 * "batch" durability policy both are fsynced before the entries are written and fsynced, so a
 * durable entry never points at non-durable data. Concurrent appends share fsyncs (group commit).
 * A new chunk writes its first entries only after the previous chunk's last commit is done, so
 * the durable records of all chunks together are a prefix of what was appended.
 *
 * Recovery rules (at open):
 *   - entries is cut to the longest valid prefix (whole entries, writeTs and both ends
 *     non-decreasing, ends within the raw/attrs sizes); raw and attrs are cut to the last
 *     entry's ends. Every cut is reported (path, old and new size).
 *   - <id>.tmp dirs and *.tmp files in sealed/ (partial segments, part files) are deleted.
 *   - a valid <id>.seg plus active/<id>/ -> the seal finished: delete the active dir.
 *   - active/<id>/ with no valid .seg -> the active dir is the truth; a partial .seg is deleted.
 *   - of the unsealed chunks only the newest (greatest id) stays active, unless the catalog
 *     says it was sealing; all others are sealed again.
 *   - an active dir with no valid entries is removed (it never held a committed record).
 *   - an unsealed chunk holding fewer records than its catalog row says it was rotated with,
 *     with a newer chunk holding records (left by a writer before the ordering above): a gap,
 *     reported; every record is kept (some after it may have been acknowledged).
 *   - a .seg that fails validation with no active dir -> chunk state "corrupt" (reported with
 *     path and offset); the rest of the store stays readable. A block that fails its CRC when
 *     read marks the chunk corrupt the same way; the catalog keeps that until the file changes.
 */

import { CorruptError } from "../../core/errors.ts";

/** Names of the files and directories of a store (see the diagram above). */
export const LOCK_FILE = ".lock";
export const CATALOG_FILE = "catalog.sqlite";
export const ACTIVE_DIR = "active";
export const SEALED_DIR = "sealed";
export const SEGMENT_EXT = ".seg";
export const TMP_SUFFIX = ".tmp";
export const ENTRIES_FILE = "entries";
export const RAW_FILE = "raw";
export const ATTRS_FILE = "attrs";

/** Header constants of the active-chunk files. */
export const MAGIC = "GLAC";
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 16;
export const ENTRY_BYTES = 32;
/** f64 slots per entry (entry i's writeTs is f64[i * ENTRY_F64]). */
export const ENTRY_F64 = 4;
/** u32 slots per entry; rawEnd is u32[i * ENTRY_U32 + 6], attrEnd u32[i * ENTRY_U32 + 7]. */
export const ENTRY_U32 = 8;

/** Which of the three active-chunk files a header belongs to. */
export type FileKind = "entries" | "raw" | "attrs";

const KIND_BYTE: Record<FileKind, number> = { entries: 0x65, raw: 0x72, attrs: 0x61 };

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("the active chunk format uses typed-array views and needs a little-endian host");
}

/** The 16-byte header of an active-chunk file. */
export function encodeHeader(kind: FileKind, createdAt: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  out[4] = KIND_BYTE[kind];
  out[5] = FORMAT_VERSION;
  new DataView(out.buffer).setFloat64(8, createdAt, true);
  return out;
}

/** Validates magic, kind and version; returns createdAt. Throws CorruptError(path, offset). */
export function decodeHeader(path: string, bytes: Uint8Array, kind: FileKind): number {
  if (bytes.length < HEADER_BYTES) throw new CorruptError(path, bytes.length, `file is shorter than the ${HEADER_BYTES}-byte header`);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new CorruptError(path, i, `bad magic, expected "${MAGIC}"`);
  }
  if (bytes[4] !== KIND_BYTE[kind]) throw new CorruptError(path, 4, `file kind 0x${bytes[4]!.toString(16)} is not ${kind}`);
  if (bytes[5] !== FORMAT_VERSION) throw new CorruptError(path, 5, `unsupported active chunk format version ${bytes[5]} (known: ${FORMAT_VERSION})`);
  const createdAt = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES).getFloat64(8, true);
  if (!Number.isSafeInteger(createdAt) || createdAt < 0) throw new CorruptError(path, 8, `createdAt ${createdAt} is not a timestamp`);
  return createdAt;
}

/**
 * Length of the longest valid prefix of `n` entries: timestamps are non-negative integers,
 * writeTs and both ends never decrease, attrs grow by at least one byte (an empty map is one
 * byte), and ends stay within the data sizes of raw and attrs.
 */
export function validEntryPrefix(f64: Float64Array, u32: Uint32Array, n: number, rawSize: number, attrSize: number): number {
  let prevW = 0;
  let prevRaw = 0;
  let prevAttr = 0;
  for (let i = 0; i < n; i++) {
    const w = f64[i * ENTRY_F64]!;
    const ing = f64[i * ENTRY_F64 + 1]!;
    const src = f64[i * ENTRY_F64 + 2]!;
    const rawEnd = u32[i * ENTRY_U32 + 6]!;
    const attrEnd = u32[i * ENTRY_U32 + 7]!;
    if (!(isTs(w) && isTs(ing) && isTs(src)) || w < prevW) return i;
    if (rawEnd < prevRaw || rawEnd > rawSize || attrEnd <= prevAttr || attrEnd > attrSize) return i;
    prevW = w;
    prevRaw = rawEnd;
    prevAttr = attrEnd;
  }
  return n;
}

function isTs(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}
