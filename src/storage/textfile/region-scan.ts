/**
 * Byte search over a text region without keeping its bytes: the file is read piece by piece
 * into one reused scratch buffer (no fresh memory to fault in, no per-line arrays) and each hit
 * of the needle is mapped to the record holding it. The first search of a region also counts
 * it in the same pass (records, kept bytes, lines cut to the limit, where each block of
 * `blockRecords` records starts), so later searches read only what they need to map their hits
 * and one block can be loaded alone. Line rules are LineSplitter's (core/lines.ts): a line ends
 * at LF, one CR before it is dropped, a final line needs no LF, lines are cut to MAX_RAW_BYTES.
 */

import { readSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import type { HitFilter } from "../types.ts";

const NL = 10;
const CR = 13;
/** Bytes read per piece (grown for a longer line or block). */
const PIECE_BYTES = 1 << 20;

/** What a counting pass learns about a region. */
export interface RegionShape {
  count: number;
  /** Bytes of all records (terminators excluded, long lines counted as cut). */
  payload: number;
  /** Record -> full line length, for lines cut to MAX_RAW_BYTES. */
  truncated: Map<number, number>;
  /** Region offset where record b * blockRecords starts, for every block, then the region's length. */
  blockStarts: Float64Array;
}

let scratch = Buffer.allocUnsafe(PIECE_BYTES);

/** File bytes [pos, pos + len) in the scratch buffer (valid until the next read). */
function readPiece(fd: number, path: string, pos: number, len: number): Buffer {
  if (scratch.length < len) scratch = Buffer.allocUnsafe(Math.max(len, scratch.length * 2));
  for (let got = 0; got < len; ) {
    const n = readSync(fd, scratch, got, len - got, pos + got);
    if (n <= 0) throw new LogError("unavailable", `text store: "${path}" ends before byte ${pos + len}: it was truncated or replaced after it was opened`);
    got += n;
  }
  return scratch.subarray(0, len);
}

/** Where the line starting at `p` ends (its LF, or `limit` for a last line without one). */
function lineTerm(piece: Buffer, p: number, limit: number): number {
  const nl = piece.indexOf(NL, p);
  return nl < 0 || nl >= limit ? limit : nl;
}

/** Kept bytes of the line piece[p, term): one CR before the terminator dropped, cut to the limit. */
function fullLength(piece: Buffer, p: number, term: number): number {
  return term > p && piece[term - 1] === CR ? term - p - 1 : term - p;
}

/**
 * Counts region [start, end) of `fd` and finds the records whose kept bytes hold `needle` where
 * `accept` (if given) takes the hit (ascending, each once). Throws LogError("unavailable") when
 * the file is shorter than `end`.
 */
export function countAndSearch(fd: number, path: string, start: number, end: number, needle: Uint8Array, accept: HitFilter | undefined, blockRecords: number): { positions: Uint32Array; shape: RegionShape } {
  const positions: number[] = [];
  const truncated = new Map<number, number>();
  const blockStarts: number[] = [];
  const nlen = needle.length;
  let rec = 0;
  let payload = 0;
  for (let pos = start; pos < end; ) {
    let want = Math.min(PIECE_BYTES, end - pos);
    let piece = readPiece(fd, path, pos, want);
    let limit = piece.lastIndexOf(NL) + 1;
    // A line longer than the piece: read more until it ends.
    while (limit === 0 && want < end - pos) {
      want = Math.min(want * 2, end - pos);
      piece = readPiece(fd, path, pos, want);
      limit = piece.lastIndexOf(NL) + 1;
    }
    if (pos + want === end) limit = want;
    let h = piece.indexOf(needle);
    for (let p = 0; p < limit; ) {
      if (rec % blockRecords === 0) blockStarts.push(pos - start + p);
      const term = lineTerm(piece, p, limit);
      const full = fullLength(piece, p, term);
      const kept = Math.min(full, MAX_RAW_BYTES);
      if (full > kept) truncated.set(rec, full);
      payload += kept;
      while (h >= 0 && h <= term) {
        if (h + nlen <= p + kept && (accept === undefined || accept(piece, h, p, p + kept))) {
          positions.push(rec);
          h = piece.indexOf(needle, term + 1);
          break;
        }
        h = piece.indexOf(needle, h + 1);
      }
      rec++;
      p = term + 1;
    }
    pos += limit;
  }
  blockStarts.push(end - start);
  return { positions: Uint32Array.from(positions), shape: { count: rec, payload, truncated, blockStarts: Float64Array.from(blockStarts) } };
}

/**
 * The records of a counted region starting at file offset `start` whose kept bytes hold
 * `needle` where `accept` (if given) takes the hit (ascending, each once); `bs` is its
 * RegionShape.blockStarts. Reads whole blocks per
 * piece, so a hit's record is counted from its block's start.
 */
export function searchCounted(fd: number, path: string, start: number, needle: Uint8Array, accept: HitFilter | undefined, bs: Float64Array, blockRecords: number): Uint32Array {
  const positions: number[] = [];
  const blocks = bs.length - 1;
  const nlen = needle.length;
  for (let b = 0; b < blocks; ) {
    let c = b + 1;
    while (c < blocks && bs[c + 1]! - bs[b]! <= PIECE_BYTES) c++;
    const base = bs[b]!;
    const limit = bs[c]! - base;
    const piece = readPiece(fd, path, start + base, limit);
    // The line cursor: record `rec` starts at piece offset `p` (reset at each hit's block).
    let block = -1;
    let rec = 0;
    let p = 0;
    for (let h = piece.indexOf(needle); h >= 0 && h < limit; ) {
      let hb = block < 0 ? b : block;
      while (bs[hb + 1]! - base <= h) hb++;
      if (hb !== block) {
        block = hb;
        rec = hb * blockRecords;
        p = bs[hb]! - base;
      }
      let term = lineTerm(piece, p, limit);
      while (term < h) {
        p = term + 1;
        rec++;
        term = lineTerm(piece, p, limit);
      }
      const end = p + Math.min(fullLength(piece, p, term), MAX_RAW_BYTES);
      if (h + nlen <= end && (accept === undefined || accept(piece, h, p, end))) {
        positions.push(rec);
        h = piece.indexOf(needle, term + 1);
      } else h = piece.indexOf(needle, h + 1);
    }
    b = c;
  }
  return Uint32Array.from(positions);
}
