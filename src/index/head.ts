/**
 * The head of a version-2 term section (layout in format.ts): encoder, and a decoder that
 * checks the CRC (which also covers the header's status and counts) and each index's fixed fields but leaves the block table in place — lookups
 * binary-search it through a DataView (no object per block), and a block entry is range-checked
 * when it is used. Opening a 40k-term index therefore costs a CRC and a few reads, not a pass
 * over every block.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import { LogError } from "../core/errors.ts";
import {
  BLOCK_ENTRY_BYTES,
  CODEC_PLAIN,
  CODEC_ZSTD,
  compareBytes,
  corrupt,
  decodeHeaderLength,
  HEADER_SIZE,
  MAX_BLOCK_RAW_BYTES,
  MAX_HEAD_BYTES,
  MAX_INDEX_NAME_BYTES,
  MAX_INDEXES_PER_SECTION,
  TERM_SECTION_MAGIC,
  TERM_SECTION_VERSION,
  TERM_STATUSES,
  type TermSectionStatus,
} from "./format.ts";

/** Fixed bytes of an index entry besides its name (nameLen, termCount, bytes, blockCount, firstTermsLen). */
const INDEX_FIXED_BYTES = 17;
/** Largest value of a u32 head field. */
const U32_MAX = 0xffff_ffff;

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

/** One named index to encode. */
export interface IndexEntry {
  readonly name: string;
  readonly termCount: number;
  /** Bytes of its lists and blocks. */
  readonly bytes: number;
  readonly blocks: readonly BlockEntry[];
}

/** One named index of a decoded head: its counts and its block table, still encoded. */
export interface HeadIndex {
  readonly name: string;
  readonly termCount: number;
  readonly bytes: number;
  readonly blockCount: number;
  /** The head bytes, a view of them, and where this index's table and first terms start. */
  readonly head: Uint8Array;
  readonly view: DataView;
  readonly table: number;
  readonly firstTerms: number;
  readonly firstTermsLength: number;
}

export interface SectionHead {
  readonly status: TermSectionStatus;
  readonly indexes: readonly HeadIndex[];
  /** HEADER_SIZE + headLength: where the data area (lists and blocks) starts. */
  readonly dataStart: number;
  /** Bytes of the data area. */
  readonly dataLength: number;
}

function u32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new LogError("limit", `term section: ${what} ${n} does not fit 32 bits`);
  return n;
}

/** Encodes the header and head for `indexes`; the data area (lists and blocks) follows it. */
export function encodeHead(status: TermSectionStatus, indexes: readonly IndexEntry[]): Uint8Array {
  if (indexes.length < 1 || indexes.length > MAX_INDEXES_PER_SECTION) {
    throw new LogError("invalid_argument", `term section: ${indexes.length} indexes, want 1..${MAX_INDEXES_PER_SECTION}`);
  }
  const w = new ByteWriter(256);
  for (const x of indexes) {
    if (x.name.length < 1 || x.name.length > MAX_INDEX_NAME_BYTES || !/^[\x21-\x7e]+$/.test(x.name)) {
      throw new LogError("invalid_argument", `term section: bad index name "${x.name}"`);
    }
    const firstTermsLength = x.blocks.reduce((n, b) => n + b.first.length, 0);
    w.u8(x.name.length);
    w.ascii(x.name);
    w.u32(u32(x.termCount, "term count"));
    w.u32(u32(x.bytes, "index size"));
    w.u32(x.blocks.length);
    w.u32(u32(firstTermsLength, "first terms size"));
    let firstEnd = 0;
    for (const b of x.blocks) {
      w.u32((firstEnd += b.first.length));
      w.u32(b.terms);
      w.u32(u32(b.offset, "block offset"));
      w.u32(u32(b.listsLen, "lists size"));
      w.u32(b.storedLen);
      w.u32(b.rawLen);
      w.u32(b.crc);
      w.u8(b.codec);
    }
    for (const b of x.blocks) w.bytes(b.first);
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
  out.u32(crc32(head, crc32(out.finish().subarray(0, 12))));
  out.bytes(head);
  return out.finish();
}

/**
 * Decodes header + head (`b` holds at least HEADER_SIZE + headLength bytes) of a section of
 * `sectionLength` bytes: checks the head CRC, every name and count, and that each index's
 * table and first terms lie inside the head. Block entries are checked by blockAt().
 */
export function decodeHead(b: Uint8Array, sectionLength: number): SectionHead {
  const headLength = decodeHeaderLength(b);
  const status = TERM_STATUSES[b[5]!] ?? fail(`unknown status ${b[5]}`);
  const count = b[6]!;
  if (count < 1 || count > MAX_INDEXES_PER_SECTION) fail(`index count ${count} out of range 1..${MAX_INDEXES_PER_SECTION}`);
  const dataStart = HEADER_SIZE + headLength;
  if (dataStart > sectionLength || b.length < dataStart) fail(`head of ${headLength} bytes overruns the section`);
  const head = b.subarray(HEADER_SIZE, dataStart);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (crc32(head, crc32(b.subarray(0, 12))) !== new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(12, true)) fail("head checksum mismatch");
  const indexes: HeadIndex[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nameLen = head[at] ?? 0;
    if (nameLen < 1 || nameLen > MAX_INDEX_NAME_BYTES || at + nameLen + INDEX_FIXED_BYTES > head.length) fail(`index name length ${nameLen} at head offset ${at}`);
    const name = String.fromCharCode(...head.subarray(at + 1, at + 1 + nameLen));
    at += 1 + nameLen;
    const termCount = view.getUint32(at, true);
    const bytes = view.getUint32(at + 4, true);
    const blockCount = view.getUint32(at + 8, true);
    const firstTermsLength = view.getUint32(at + 12, true);
    const table = at + 16;
    const firstTerms = table + blockCount * BLOCK_ENTRY_BYTES;
    if (blockCount > termCount || firstTerms + firstTermsLength > head.length || (blockCount === 0) !== (termCount === 0)) {
      fail(`index "${name}": ${blockCount} blocks for ${termCount} terms and ${firstTermsLength} first-term bytes overrun the head`);
    }
    if (bytes > sectionLength - dataStart) fail(`index "${name}": ${bytes} bytes in a ${sectionLength - dataStart}-byte data area`);
    indexes.push({ name, termCount, bytes, blockCount, head, view, table, firstTerms, firstTermsLength });
    at = firstTerms + firstTermsLength;
  }
  if (at !== head.length) fail(`${head.length - at} trailing head bytes`);
  return { status, indexes, dataStart, dataLength: sectionLength - dataStart };
}

/** [start, end) of block k's first term within the head; corrupt when out of order or place. */
function firstRange(ix: HeadIndex, k: number): [number, number] {
  const start = k === 0 ? 0 : ix.view.getUint32(ix.table + (k - 1) * BLOCK_ENTRY_BYTES, true);
  const end = ix.view.getUint32(ix.table + k * BLOCK_ENTRY_BYTES, true);
  if (start > end || end > ix.firstTermsLength) fail(`index "${ix.name}" block ${k}: first term [${start}, ${end}) out of place`);
  return [ix.firstTerms + start, ix.firstTerms + end];
}

/** Unsigned bytewise comparison of block k's first term with q. */
export function compareFirst(ix: HeadIndex, k: number, q: Uint8Array): number {
  const [start, end] = firstRange(ix, k);
  return compareBytes(ix.head, start, end, q);
}

/** Block k's entry, checked against a data area of `dataLength` bytes. */
export function blockAt(ix: HeadIndex, k: number, dataLength: number): BlockEntry {
  const [start, end] = firstRange(ix, k);
  const v = ix.view;
  const at = ix.table + k * BLOCK_ENTRY_BYTES;
  const b: BlockEntry = {
    first: ix.head.subarray(start, end),
    terms: v.getUint32(at + 4, true),
    offset: v.getUint32(at + 8, true),
    listsLen: v.getUint32(at + 12, true),
    storedLen: v.getUint32(at + 16, true),
    rawLen: v.getUint32(at + 20, true),
    crc: v.getUint32(at + 24, true),
    codec: v.getUint8(at + 28),
  };
  if (b.offset + b.listsLen + b.storedLen > dataLength) fail(`index "${ix.name}" block ${k} at [${b.offset}, +${b.listsLen + b.storedLen}) overruns the ${dataLength}-byte data area`);
  if (b.terms < 1 || b.rawLen > MAX_BLOCK_RAW_BYTES || (b.codec !== CODEC_PLAIN && b.codec !== CODEC_ZSTD)) fail(`index "${ix.name}" block ${k}: ${b.terms} terms, ${b.rawLen} raw bytes, codec ${b.codec}`);
  if (b.codec === CODEC_PLAIN && b.storedLen !== b.rawLen) fail(`index "${ix.name}" block ${k}: plain block of ${b.storedLen} bytes, raw ${b.rawLen}`);
  return b;
}

function fail(detail: string): never {
  throw corrupt(detail);
}
