/**
 * Posting lists: strictly ascending u32 record positions. Owns the on-disk encoding of one
 * list (delta+varint or bitmap, whichever is smaller) and the set operations on decoded lists.
 * Lists stay encoded inside their section view until a lookup decodes one. It knows nothing
 * about terms or sections (the index format files own those).
 *
 *   list   = kind:u8 count:varint body
 *   kind 0 = DELTA : first:varint { (p[i] - p[i-1] - 1):varint }   (count-1 gaps)
 *   kind 1 = BITMAP: base:varint nbytes:varint bits[nbytes]        (bit i of byte j, LSB
 *                    first, set <=> position base + 8*j + i is in the list)
 *   An empty list is kind 0 with count 0 and no body.
 */

import { LogError } from "../core/errors.ts";
import type { ByteWriter } from "../core/bytes/growable.ts";
import { readVarint, varintSize } from "../core/bytes/varint.ts";

export const POSTINGS_DELTA = 0;
export const POSTINGS_BITMAP = 1;
/** Largest position a list may hold. */
export const MAX_POSITION = 0xffff_ffff;

const EMPTY = new Uint32Array(0);

function corrupt(detail: string): LogError {
  return new LogError("corrupt", `posting list: ${detail}`);
}

/** Encoded size of `p[0, length)` as a delta list. */
function deltaSize(p: ArrayLike<number>, length = p.length): number {
  let n = varintSize(p[0]!);
  for (let i = 1; i < length; i++) n += varintSize(p[i]! - p[i - 1]! - 1);
  return n;
}

/** Body bytes of `p[0, length)` as a bitmap. */
function bitmapBytes(p: ArrayLike<number>, length = p.length): number {
  return ((p[length - 1]! - p[0]!) >>> 3) + 1;
}

/** Bytes `encodePostings` will append for `p` (for section size planning). */
export function encodedPostingsSize(p: ArrayLike<number>): number {
  const head = 1 + varintSize(p.length);
  if (p.length === 0) return head;
  const bytes = bitmapBytes(p);
  return head + Math.min(deltaSize(p), varintSize(p[0]!) + varintSize(bytes) + bytes);
}

/**
 * Appends `p[0, length)` (strictly ascending, each ≤ MAX_POSITION; not checked here, the
 * builders produce them sorted and unique) in the smaller of the two encodings. `length` lets
 * a builder pass its reused scratch array without a view per list.
 */
export function encodePostings(p: ArrayLike<number>, w: ByteWriter, length = p.length): void {
  if (length === 0) {
    w.u8(POSTINGS_DELTA);
    w.varint(0);
    return;
  }
  const bytes = bitmapBytes(p, length);
  const base = p[0]!;
  if (varintSize(base) + varintSize(bytes) + bytes < deltaSize(p, length)) {
    w.u8(POSTINGS_BITMAP);
    w.varint(length);
    w.varint(base);
    w.varint(bytes);
    w.ensure(bytes);
    const start = w.length;
    w.length += bytes;
    const out = w.finish();
    out.fill(0, start, start + bytes);
    for (let i = 0; i < length; i++) {
      const d = p[i]! - base;
      out[start + (d >>> 3)] |= 1 << (d & 7);
    }
    return;
  }
  w.u8(POSTINGS_DELTA);
  w.varint(length);
  w.varint(base);
  for (let i = 1; i < length; i++) w.varint(p[i]! - p[i - 1]! - 1);
}

/** Decoder position, so callers can walk consecutive lists without allocating a cursor each. */
export interface PostingsCursor {
  pos: number;
}

/** A list-header or gap varint: at most 5 bytes, at most MAX_POSITION (RangeError past the end). */
function readU32Varint(buf: Uint8Array, cur: PostingsCursor, end: number): number {
  const v = readVarint(buf, cur, end, 5);
  if (v > MAX_POSITION) throw corrupt(`value ${v} exceeds u32 at offset ${cur.pos}`);
  return v;
}

/** Runs a decoder, reporting a truncated or over-long varint as a corrupt list. */
function checked<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw err instanceof RangeError ? corrupt(err.message) : err;
  }
}

/** Number of positions in the list starting at `at`, read from its header without decoding. */
export function postingsCount(buf: Uint8Array, at: number, end = buf.length): number {
  if (at >= end) throw corrupt(`list starts past its section (offset ${at})`);
  // A one-byte count (most lists) is read without the cursor and closure of the general path.
  if (at + 1 < end && buf[at + 1]! < 0x80) return buf[at + 1]!;
  const cur = { pos: at + 1 };
  return checked(() => readU32Varint(buf, cur, end));
}

/** The first position of the non-empty list starting at `at` (what a one-position list holds), without decoding the rest. */
export function firstPosition(buf: Uint8Array, at: number, end = buf.length): number {
  // A delta list with a one-byte count: its first position is the varint after it, read in place.
  if (buf[at] === POSTINGS_DELTA && at + 1 < end && buf[at + 1]! > 0 && buf[at + 1]! < 0x80) {
    let v = 0;
    let mul = 1;
    for (let p = at + 2; p < end && p < at + 7; p++) {
      const b = buf[p]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  }
  const first = decodePostings(buf, { pos: at }, end)[0];
  if (first === undefined) throw corrupt(`empty list at offset ${at} has no first position`);
  return first;
}

/**
 * Decodes the list at `cur.pos` (advancing past it) into a new Uint32Array. Validates kind,
 * bounds, ordering and the count; throws LogError("corrupt") naming the offset otherwise.
 */
export function decodePostings(buf: Uint8Array, cur: PostingsCursor, end = buf.length): Uint32Array {
  return checked(() => decodeList(buf, cur, end));
}

function decodeList(buf: Uint8Array, cur: PostingsCursor, end: number): Uint32Array {
  if (cur.pos >= end) throw corrupt(`list starts past its section (offset ${cur.pos})`);
  const kind = buf[cur.pos++]!;
  const count = readU32Varint(buf, cur, end);
  if (kind === POSTINGS_DELTA) {
    if (count === 0) return EMPTY;
    if (count > end - cur.pos) throw corrupt(`count ${count} exceeds the ${end - cur.pos} bytes left`);
    const out = new Uint32Array(count);
    let v = readU32Varint(buf, cur, end);
    out[0] = v;
    for (let i = 1; i < count; i++) {
      v += readU32Varint(buf, cur, end) + 1;
      if (v > MAX_POSITION) throw corrupt(`position ${v} exceeds u32`);
      out[i] = v;
    }
    return out;
  }
  if (kind !== POSTINGS_BITMAP) throw corrupt(`unknown list kind ${kind} at offset ${cur.pos - 1}`);
  const base = readU32Varint(buf, cur, end);
  const nbytes = readU32Varint(buf, cur, end);
  if (nbytes > end - cur.pos) throw corrupt(`bitmap of ${nbytes} bytes overruns the section`);
  if (count > nbytes * 8) throw corrupt(`bitmap of ${nbytes} bytes cannot hold ${count} positions`);
  const out = new Uint32Array(count);
  let n = 0;
  const start = cur.pos;
  for (let j = 0; j < nbytes; j++) {
    let byte = buf[start + j]!;
    while (byte !== 0) {
      const bit = 31 - Math.clz32(byte & -byte);
      const v = base + j * 8 + bit;
      if (n === count) throw corrupt(`bitmap holds more than ${count} positions`);
      if (v > MAX_POSITION) throw corrupt(`position ${v} exceeds u32`);
      out[n++] = v;
      byte &= byte - 1;
    }
  }
  if (n !== count) throw corrupt(`bitmap holds ${n} positions, header says ${count}`);
  cur.pos = start + nbytes;
  return out;
}

/**
 * Positions in both `a` and `b` (each strictly ascending). Gallops through the longer list
 * when it is over 16x the shorter, else merges linearly. Treat results as read-only.
 */
export function intersectPositions(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return EMPTY;
  const out = new Uint32Array(a.length);
  let n = 0;
  if (a.length * 16 < b.length) {
    let lo = 0;
    for (let i = 0; i < a.length && lo < b.length; i++) {
      const x = a[i]!;
      let step = 1;
      let hi = lo;
      while (hi < b.length && b[hi]! < x) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi > b.length) hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      if (lo < b.length && b[lo] === x) out[n++] = x;
    }
  } else {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) {
        out[n++] = x;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
  }
  return n === out.length ? out : out.slice(0, n);
}

/**
 * Positions in `a` or `b` (each strictly ascending), ascending and without duplicates. May
 * return one of its inputs unchanged when the other is empty; treat results as read-only.
 */
export function unionPositions(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return n === out.length ? out : out.slice(0, n);
}

/** Up to this many lists are merged pairwise (linear each); more are concatenated and sorted once. */
const MERGE_LISTS = 4;

/** The sorted, distinct union of many ascending position lists (for lists from a range scan). */
export function unionMany(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length <= MERGE_LISTS) return lists.reduce(unionPositions, EMPTY);
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}
