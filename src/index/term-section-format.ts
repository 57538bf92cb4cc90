/**
 * Byte layout of a term-index section ("idx.tokens", "idx.attrs", "idx.msgkv"): a small header
 * naming one or more term indexes, then one zstd frame holding their dictionaries and posting
 * lists. Pairs every encoder with its decoder and validates every length against its limit.
 * Knows nothing about tokens, attributes or budgets (the builders own those).
 *
 *   section = header directory zstdFrame(body)                      little-endian
 *   header  : magic "GLTX" (4) | version u8 = 1 | status u8 | count u8 | reserved u8 = 0
 *             | bodyLength u32 (uncompressed)                        = 12 bytes
 *   directory, `count` entries, regions tiling the body in order:
 *             nameLen u8 | name (ASCII) | termCount u32 | regionOffset u32 | regionLength u32
 *   body    = region(index 0) region(index 1) ...
 *   region  : termLength varint × N | postingLength varint × N
 *             | term bytes (sorted ascending, unsigned bytewise, concatenated)
 *             | posting lists (postings.ts encoding, concatenated in term order)
 *
 * Lengths rather than u32 offsets are stored because zstd shrinks them far better; a reader
 * turns them into offset tables once (decodeRegion), after which a lookup is a binary search
 * plus one decodePostings. Status: 0 complete, 1 capped (empty by design), 2 budget (lossy).
 */

import { ByteWriter } from "../core/bytes/growable.ts";
import { readVarint, varintSize } from "../core/bytes/varint.ts";
import { errorMessage, LogError } from "../core/errors.ts";

export const TERM_SECTION_MAGIC = new Uint8Array([0x47, 0x4c, 0x54, 0x58]); // "GLTX"
export const TERM_SECTION_VERSION = 1;
export const TERM_SECTION_HEADER_SIZE = 12;
/** Fixed bytes of a directory entry besides its name (nameLen, termCount, offset, length). */
export const DIRECTORY_ENTRY_FIXED = 13;
/** Most named indexes in one section. */
export const MAX_INDEXES_PER_SECTION = 16;
export const MAX_INDEX_NAME_BYTES = 32;
/** Largest uncompressed body a reader accepts (and a builder may write). */
export const MAX_BODY_BYTES = 0x4000_0000;
/** Smallest bytes one term takes in a region: two length varints and a 2-byte empty list. */
export const MIN_TERM_BYTES = 4;
/** zstd level of the body. */
export const TERM_SECTION_ZSTD_LEVEL = 3;

export const TERM_STATUSES = ["complete", "capped", "budget"] as const;
/** complete: exact; capped: a hard cap hit, written empty; budget: entries dropped. */
export type TermSectionStatus = (typeof TERM_STATUSES)[number];

/** One named index ready to encode: `count` terms sorted ascending by bytes. */
export interface TermIndexInput {
  readonly name: string;
  readonly count: number;
  /** Concatenated term bytes; term i is terms[termEnds[i-1] ?? 0, termEnds[i]). */
  readonly terms: Uint8Array;
  readonly termEnds: Uint32Array;
  /** Concatenated encoded posting lists, ends like termEnds. */
  readonly postings: Uint8Array;
  readonly postingEnds: Uint32Array;
}

/** Directory entry of a decoded header. */
export interface TermIndexEntry {
  readonly name: string;
  readonly termCount: number;
  readonly regionOffset: number;
  readonly regionLength: number;
}

export interface TermSectionHeader {
  readonly status: TermSectionStatus;
  readonly bodyLength: number;
  readonly indexes: readonly TermIndexEntry[];
  /** Offset of the zstd frame in the section. */
  readonly frameOffset: number;
}

function corrupt(detail: string): LogError {
  return new LogError("corrupt", `term index section: ${detail}`);
}

function lengthsSize(ends: Uint32Array, n: number): number {
  let size = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    size += varintSize(ends[i]! - prev);
    prev = ends[i]!;
  }
  return size;
}

function writeLengths(ends: Uint32Array, n: number, w: ByteWriter): void {
  let prev = 0;
  for (let i = 0; i < n; i++) {
    w.varint(ends[i]! - prev);
    prev = ends[i]!;
  }
}

function regionLength(x: TermIndexInput): number {
  return lengthsSize(x.termEnds, x.count) + lengthsSize(x.postingEnds, x.count) + x.terms.length + x.postings.length;
}

function writeRegion(x: TermIndexInput, w: ByteWriter): void {
  writeLengths(x.termEnds, x.count, w);
  writeLengths(x.postingEnds, x.count, w);
  w.bytes(x.terms);
  w.bytes(x.postings);
}

/** Encodes `indexes` (1..MAX_INDEXES_PER_SECTION, ASCII names) into one section. */
export function encodeTermSection(status: TermSectionStatus, indexes: readonly TermIndexInput[]): Uint8Array {
  if (indexes.length < 1 || indexes.length > MAX_INDEXES_PER_SECTION) {
    throw new LogError("invalid_argument", `term section: ${indexes.length} indexes, want 1..${MAX_INDEXES_PER_SECTION}`);
  }
  const lengths = indexes.map(regionLength);
  const bodyLength = lengths.reduce((a, b) => a + b, 0);
  if (bodyLength > MAX_BODY_BYTES) throw new LogError("limit", `term section body of ${bodyLength} bytes exceeds ${MAX_BODY_BYTES}`);
  const body = new ByteWriter(Math.max(16, bodyLength));
  for (const x of indexes) writeRegion(x, body);
  const frame = Bun.zstdCompressSync(body.finish(), { level: TERM_SECTION_ZSTD_LEVEL });
  const w = new ByteWriter(TERM_SECTION_HEADER_SIZE + 64 * indexes.length + frame.length);
  w.bytes(TERM_SECTION_MAGIC);
  w.u8(TERM_SECTION_VERSION);
  w.u8(TERM_STATUSES.indexOf(status));
  w.u8(indexes.length);
  w.u8(0);
  w.u32(bodyLength);
  let offset = 0;
  indexes.forEach((x, i) => {
    if (x.name.length < 1 || x.name.length > MAX_INDEX_NAME_BYTES || !/^[\x21-\x7e]+$/.test(x.name)) {
      throw new LogError("invalid_argument", `term section: bad index name "${x.name}"`);
    }
    w.u8(x.name.length);
    w.ascii(x.name);
    w.u32(x.count);
    w.u32(offset);
    w.u32(lengths[i]!);
    offset += lengths[i]!;
  });
  w.bytes(frame);
  return w.finish().slice();
}

/** Reads and validates the header and directory (no decompression). */
export function decodeTermSectionHeader(b: Uint8Array): TermSectionHeader {
  if (b.length < TERM_SECTION_HEADER_SIZE) throw corrupt(`${b.length} bytes is shorter than the ${TERM_SECTION_HEADER_SIZE}-byte header`);
  for (let i = 0; i < 4; i++) if (b[i] !== TERM_SECTION_MAGIC[i]) throw corrupt("bad magic");
  if (b[4] !== TERM_SECTION_VERSION) throw corrupt(`unknown version ${b[4]}`);
  const status = TERM_STATUSES[b[5]!];
  if (status === undefined) throw corrupt(`unknown status ${b[5]}`);
  const count = b[6]!;
  if (count < 1 || count > MAX_INDEXES_PER_SECTION) throw corrupt(`index count ${count} out of range 1..${MAX_INDEXES_PER_SECTION}`);
  if (b[7] !== 0) throw corrupt(`reserved byte is ${b[7]}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bodyLength = v.getUint32(8, true);
  if (bodyLength > MAX_BODY_BYTES) throw corrupt(`body length ${bodyLength} exceeds ${MAX_BODY_BYTES}`);
  const indexes: TermIndexEntry[] = [];
  let at = TERM_SECTION_HEADER_SIZE;
  let expect = 0;
  for (let i = 0; i < count; i++) {
    const nameLen = b[at];
    if (nameLen === undefined || nameLen < 1 || nameLen > MAX_INDEX_NAME_BYTES) throw corrupt(`index name length ${nameLen} at offset ${at}`);
    if (at + nameLen + DIRECTORY_ENTRY_FIXED > b.length) throw corrupt(`directory entry at offset ${at} overruns the section`);
    const name = String.fromCharCode(...b.subarray(at + 1, at + 1 + nameLen));
    at += 1 + nameLen;
    const termCount = v.getUint32(at, true);
    const regionOffset = v.getUint32(at + 4, true);
    const regionLen = v.getUint32(at + 8, true);
    at += 12;
    if (regionOffset !== expect || regionLen > bodyLength - regionOffset) throw corrupt(`index "${name}" region [${regionOffset}+${regionLen}) does not tile a ${bodyLength}-byte body`);
    if (termCount * MIN_TERM_BYTES > regionLen) throw corrupt(`index "${name}" claims ${termCount} terms in ${regionLen} bytes`);
    expect = regionOffset + regionLen;
    indexes.push({ name, termCount, regionOffset, regionLength: regionLen });
  }
  if (expect !== bodyLength) throw corrupt(`regions cover ${expect} of ${bodyLength} body bytes`);
  return { status, bodyLength, indexes, frameOffset: at };
}

/** Decompresses the body and checks its length against the header. */
export function decompressTermBody(b: Uint8Array, h: TermSectionHeader): Uint8Array {
  let body: Uint8Array;
  try {
    body = Bun.zstdDecompressSync(b.subarray(h.frameOffset));
  } catch (err) {
    throw corrupt(`zstd body: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (body.length !== h.bodyLength) throw corrupt(`body is ${body.length} bytes, header says ${h.bodyLength}`);
  return body;
}

/** A region's offset tables: term i is body[termStarts[i], termStarts[i+1]), lists likewise. */
export interface DecodedRegion {
  readonly termStarts: Uint32Array;
  readonly postingStarts: Uint32Array;
}

/** Fills out[1..n] with running sums of n lengths, none past the region's size. */
function readEnds(body: Uint8Array, cur: { pos: number }, end: number, out: Uint32Array, e: TermIndexEntry): void {
  let sum = 0;
  for (let i = 1; i < out.length; i++) {
    try {
      sum += readVarint(body, cur, end, 5);
    } catch (err) {
      throw corrupt(`index "${e.name}": length ${errorMessage(err)}`);
    }
    if (sum > e.regionLength) throw corrupt(`index "${e.name}": lengths exceed its ${e.regionLength}-byte region`);
    out[i] = sum;
  }
}

/** Turns a region's length tables into offset tables, checking that they fill it exactly. */
export function decodeRegion(body: Uint8Array, e: TermIndexEntry): DecodedRegion {
  const n = e.termCount;
  const end = e.regionOffset + e.regionLength;
  const termStarts = new Uint32Array(n + 1);
  const postingStarts = new Uint32Array(n + 1);
  const cur = { pos: e.regionOffset };
  readEnds(body, cur, end, termStarts, e);
  readEnds(body, cur, end, postingStarts, e);
  const termBase = cur.pos;
  const postingBase = termBase + termStarts[n]!;
  if (postingBase + postingStarts[n]! !== end) throw corrupt(`index "${e.name}": lengths cover ${postingBase + postingStarts[n]! - e.regionOffset} of ${e.regionLength} region bytes`);
  for (let i = 0; i <= n; i++) {
    termStarts[i] += termBase;
    postingStarts[i] += postingBase;
  }
  return { termStarts, postingStarts };
}
