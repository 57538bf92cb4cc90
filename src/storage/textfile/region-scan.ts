/**
 * Byte search over a text region without keeping its bytes: the file is read piece by piece
 * into one reused scratch buffer (scan-simd.ts: no fresh memory to fault in, no per-line arrays)
 * and each hit of the needle is mapped to the record holding it by counting newlines with SIMD.
 * The first search of a region also counts it in the same pass (records, kept bytes, lines cut
 * to the limit, where each block of `blockRecords` records starts), so later searches read only
 * what they need to map their hits and one block can be loaded alone. Line rules are
 * LineSplitter's (core/lines.ts): a line ends at LF, one CR before it is dropped, a final line
 * needs no LF, lines are cut to MAX_RAW_BYTES.
 */

import { readSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import type { ByteSearch } from "../types.ts";
import { countNewlines, ensure, foldAscii, scanLines } from "./scan-simd.ts";

const NL = 10;
const CR = 13;
/** Bytes read per piece (grown for a longer line or block); no line in a piece this long is cut. */
const PIECE_BYTES = MAX_RAW_BYTES;
const CRLF = Buffer.from("\r\n");
/**
 * A search gives up past this many occurrences (accepted or not) per record read: each costs a
 * few native calls, more than a scan pays per record (a short needle inside common words).
 */
const MAX_SEEN_PER_RECORD = 1;

/** True when, `rec` records in, `seen` occurrences and `found` hits say a scan is cheaper. */
function tooDense(o: ByteSearch, rec: number, seen: number, found: number): boolean {
  return o.dense !== undefined && (seen > rec * MAX_SEEN_PER_RECORD || found * o.dense > rec);
}

/**
 * Records found by a search: ascending positions and, per position, the region bytes of its
 * line [spans[2k], spans[2k + 1]) (terminator included), so a hit's record can be read alone.
 */
export interface Found {
  positions: Uint32Array;
  spans: Float64Array;
}

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

/** File bytes [pos, pos + len) at the start of the scratch buffer (valid until the next read), A-Z lowercased when `fold`. */
function readPiece(fd: number, path: string, pos: number, len: number, fold: boolean | undefined): Buffer {
  const scratch = ensure(len);
  for (let got = 0; got < len; ) {
    const n = readSync(fd, scratch, got, len - got, pos + got);
    if (n <= 0) throw new LogError("unavailable", `text store: "${path}" ends before byte ${pos + len}: it was truncated or replaced after it was opened`);
    got += n;
  }
  if (fold) foldAscii(0, len);
  return scratch.subarray(0, len);
}

/** Where the line starting at `p` ends (its LF, or `limit` for a last line without one). */
function lineTerm(piece: Buffer, p: number, limit: number): number {
  const nl = piece.indexOf(NL, p);
  return nl < 0 || nl >= limit ? limit : nl;
}

/** Where the line whose terminator search ended at `term` ends, terminator included. */
function spanEnd(term: number, limit: number): number {
  return term < limit ? term + 1 : limit;
}

/** Kept bytes of the line piece[p, term): one CR before the terminator dropped, cut to the limit. */
function fullLength(piece: Buffer, p: number, term: number): number {
  return term > p && piece[term - 1] === CR ? term - p - 1 : term - p;
}

/** A counting pass over one region: what it has learnt so far. */
class Counter {
  readonly positions: number[] = [];
  readonly spans: number[] = [];
  readonly truncated = new Map<number, number>();
  readonly blockStarts: number[] = [];
  rec = 0;
  payload = 0;
  /** Occurrences of the needle looked at, accepted or not. */
  seen = 0;

  constructor(
    private readonly needle: Uint8Array,
    private readonly o: ByteSearch,
    private readonly blockRecords: number,
  ) {}

  private hit(piece: Buffer, h: number, lineStart: number, keptEnd: number): boolean {
    this.seen++;
    return h + this.needle.length <= keptEnd && (this.o.accept === undefined || this.o.accept(piece, h, lineStart, keptEnd));
  }

  /** True once a block's worth of records is read and hits (or occurrences) are too dense for a search. */
  tooDense(): boolean {
    return this.rec >= this.blockRecords && tooDense(this.o, this.rec, this.seen, this.positions.length);
  }

  /**
   * The lines of piece[0, limit) (at region offset `base`), none longer than MAX_RAW_BYTES: one
   * SIMD pass counts them, finds the block starts and folds case (`fold`), then hits are mapped
   * to their lines; nothing is done per line in JS.
   */
  piece(piece: Buffer, limit: number, base: number, fold: boolean): void {
    const B = this.blockRecords;
    const first = this.rec;
    if (first % B === 0) this.blockStarts.push(base);
    let nls = 0;
    // A block starts after every B-th line; one starting at the piece's end is the next piece's.
    for (let at = 0, left = B - (first % B); ; left = B) {
      const next = scanLines(at, limit, left, fold);
      if (next < 0) {
        nls += -1 - next;
        break;
      }
      nls += left;
      if (next < limit) this.blockStarts.push(base + next);
      at = next;
    }
    const open = piece[limit - 1] !== NL; // the region's last line, without a terminator
    const lines = nls + (open ? 1 : 0);
    let crlf = 0;
    for (let x = piece.indexOf(CRLF); x >= 0 && x + 1 < limit; x = piece.indexOf(CRLF, x + 2)) crlf++;
    this.payload += limit - nls - crlf - (open && piece[limit - 1] === CR ? 1 : 0);
    let at = 0;
    let atRec = first;
    const rejects = this.o.rejects;
    for (let h = piece.indexOf(this.needle); h >= 0 && h < limit; ) {
      if (rejects !== undefined && rejects(piece, h)) {
        this.seen++;
        h = piece.indexOf(this.needle, h + 1);
        continue;
      }
      const lineStart = h === 0 ? 0 : piece.lastIndexOf(NL, h - 1) + 1;
      const term = lineTerm(piece, h, limit);
      if (this.hit(piece, h, lineStart, lineStart + fullLength(piece, lineStart, term))) {
        atRec += countNewlines(at, lineStart);
        at = lineStart;
        this.positions.push(atRec);
        this.spans.push(base + lineStart, base + spanEnd(term, limit));
        h = piece.indexOf(this.needle, term + 1);
      } else h = piece.indexOf(this.needle, h + 1);
    }
    this.rec += lines;
  }

  /** Like piece(), line by line: for a piece grown to hold a line longer than MAX_RAW_BYTES. */
  longLines(piece: Buffer, limit: number, base: number): void {
    let h = piece.indexOf(this.needle);
    for (let p = 0; p < limit; ) {
      if (this.rec % this.blockRecords === 0) this.blockStarts.push(base + p);
      const term = lineTerm(piece, p, limit);
      const full = fullLength(piece, p, term);
      const kept = Math.min(full, MAX_RAW_BYTES);
      if (full > kept) this.truncated.set(this.rec, full);
      this.payload += kept;
      while (h >= 0 && h <= term) {
        if (this.hit(piece, h, p, p + kept)) {
          this.positions.push(this.rec);
          this.spans.push(base + p, base + spanEnd(term, limit));
          h = piece.indexOf(this.needle, term + 1);
          break;
        }
        h = piece.indexOf(this.needle, h + 1);
      }
      this.rec++;
      p = term + 1;
    }
  }
}

/**
 * Counts region [start, end) of `fd` and finds the records whose kept bytes hold `needle` as `o`
 * says (ascending, each once); undefined when it gave up, hits being too dense. Throws
 * LogError("unavailable") when the file is shorter than `end`.
 */
export function countAndSearch(fd: number, path: string, start: number, end: number, needle: Uint8Array, o: ByteSearch, blockRecords: number): { found: Found; shape: RegionShape } | undefined {
  const c = new Counter(needle, o, blockRecords);
  for (let pos = start; pos < end; ) {
    if (c.tooDense()) return undefined;
    let want = Math.min(PIECE_BYTES, end - pos);
    let piece = readPiece(fd, path, pos, want, false);
    let limit = piece.lastIndexOf(NL) + 1;
    // A line longer than the piece: read more until it ends.
    while (limit === 0 && want < end - pos) {
      want = Math.min(want * 2, end - pos);
      piece = readPiece(fd, path, pos, want, false);
      limit = piece.lastIndexOf(NL) + 1;
    }
    if (pos + want === end) limit = want;
    if (want <= PIECE_BYTES) c.piece(piece, limit, pos - start, o.foldCase === true);
    else {
      if (o.foldCase) foldAscii(0, limit);
      c.longLines(piece, limit, pos - start);
    }
    pos += limit;
  }
  c.blockStarts.push(end - start);
  return { found: { positions: Uint32Array.from(c.positions), spans: Float64Array.from(c.spans) }, shape: { count: c.rec, payload: c.payload, truncated: c.truncated, blockStarts: Float64Array.from(c.blockStarts) } };
}

/**
 * The records of a counted region starting at file offset `start` whose kept bytes hold
 * `needle` as `o` says (ascending, each once; undefined when hits are too dense); `bs` is its
 * RegionShape.blockStarts. Reads whole blocks per piece, so a hit's record is its block's first
 * plus the newlines between the block's start and the hit's line.
 */
export function searchCounted(fd: number, path: string, start: number, needle: Uint8Array, o: ByteSearch, bs: Float64Array, blockRecords: number): Found | undefined {
  const positions: number[] = [];
  const spans: number[] = [];
  const blocks = bs.length - 1;
  const nlen = needle.length;
  const accept = o.accept;
  let seen = 0;
  for (let b = 0; b < blocks; ) {
    if (b > 0 && tooDense(o, b * blockRecords, seen, positions.length)) return undefined;
    let c = b + 1;
    while (c < blocks && bs[c + 1]! - bs[b]! <= PIECE_BYTES) c++;
    const base = bs[b]!;
    const limit = bs[c]! - base;
    const piece = readPiece(fd, path, start + base, limit, o.foldCase);
    // Record `rec` starts at piece offset `at` (moved to each hit's block first).
    let block = b;
    let at = 0;
    let rec = b * blockRecords;
    for (let h = piece.indexOf(needle); h >= 0 && h < limit; ) {
      if (o.rejects !== undefined && o.rejects(piece, h)) {
        seen++;
        h = piece.indexOf(needle, h + 1);
        continue;
      }
      if (bs[block + 1]! - base <= h) {
        while (bs[block + 1]! - base <= h) block++;
        at = bs[block]! - base;
        rec = block * blockRecords;
      }
      seen++;
      const lineStart = h === 0 ? 0 : piece.lastIndexOf(NL, h - 1) + 1;
      const term = lineTerm(piece, h, limit);
      const keptEnd = lineStart + Math.min(fullLength(piece, lineStart, term), MAX_RAW_BYTES);
      if (h + nlen <= keptEnd && (accept === undefined || accept(piece, h, lineStart, keptEnd))) {
        rec += countNewlines(at, lineStart);
        at = lineStart;
        positions.push(rec);
        spans.push(base + lineStart, base + spanEnd(term, limit));
        h = piece.indexOf(needle, term + 1);
      } else h = piece.indexOf(needle, h + 1);
    }
    b = c;
  }
  return { positions: Uint32Array.from(positions), spans: Float64Array.from(spans) };
}
