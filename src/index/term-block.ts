/**
 * The body of one dictionary block (layout in format.ts): front-coded terms, each with its
 * position count and either its posting list inline or a reference to an external list stored
 * before the block, then a restart table (every 16th term is stored whole). BlockBodyWriter
 * builds a body; BlockScanner seeks by binary search over the restarts and walks one entry at a
 * time with no allocation per entry (the current term lives in a reused scratch buffer). No I/O.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { copyBytes } from "../core/bytes/copy.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import { readVarint, type VarintCursor } from "../core/bytes/varint.ts";
import { errorMessage, LogError } from "../core/errors.ts";
import { firstPosition, postingsCount } from "./postings.ts";
import { CODEC_PLAIN, compareBytes, COMPRESS_LIST_BYTES, encodeStored, INLINE_LIST_BYTES, MAX_TERM_BYTES, RESTART_INTERVAL } from "./format.ts";
import { bytesEqual } from "../core/bytes/equal.ts";

function corrupt(detail: string): LogError {
  return new LogError("corrupt", `term index block: ${detail}`);
}

/** An external list already written in this section. */
interface WrittenList {
  raw: Uint8Array;
  offset: number;
  length: number;
  crc: number;
}

/**
 * Accumulates the entries of one block and the new external lists that precede it. Lists are
 * deduplicated across the whole section: a list equal to one written before is referenced, not
 * written again.
 */
export class BlockBodyWriter {
  readonly body = new ByteWriter(8192);
  readonly lists = new ByteWriter(1024);
  terms = 0;
  /** Data-area offset where this block's lists area starts (set by the section writer). */
  base = 0;
  private prev = new Uint8Array(64);
  private prevLength = 0;
  /** Lists written in this section, bucketed by CRC-32 of their encoding. */
  private readonly written = new Map<number, WrittenList[]>();
  /** Body offsets of the restart entries (every RESTART_INTERVAL-th term). */
  private restarts: number[] = [];

  /** Appends term `t[ts, te)` holding `count` positions with encoded list `l[ls, le)`. */
  add(t: Uint8Array, ts: number, te: number, count: number, l: Uint8Array, ls: number, le: number): void {
    const len = te - ts;
    let shared = 0;
    const restart = this.terms % RESTART_INTERVAL === 0;
    if (restart) this.restarts.push(this.body.length);
    const max = restart ? 0 : Math.min(len, this.prevLength);
    while (shared < max && this.prev[shared] === t[ts + shared]) shared++;
    const w = this.body;
    w.varint(shared);
    w.varint(len - shared);
    w.bytes(t, ts + shared, te);
    if (count === 1) {
      w.varint(firstPosition(l, ls, le) * 4 + LIST_SINGLE);
    } else if (le - ls <= INLINE_LIST_BYTES) {
      // The count is the list's own header (postingsCount reads it).
      w.varint((le - ls) * 4 + LIST_INLINE);
      w.bytes(l, ls, le);
    } else {
      const list = this.external(l.subarray(ls, le));
      w.varint(list.length * 4 + LIST_EXTERNAL);
      w.varint(count);
      w.varint(list.offset);
      w.u32(list.crc);
    }
    if (this.prev.length < len) this.prev = new Uint8Array(len * 2);
    copyBytes(this.prev, 0, t, ts, te);
    this.prevLength = len;
    this.terms++;
  }

  /** Appends the restart table and returns the finished body (a view; copy before reset). */
  finishBody(): Uint8Array {
    for (const r of this.restarts) this.body.u32(r);
    this.body.u32(this.restarts.length);
    return this.body.finish();
  }

  /** Starts the next block, whose lists area begins at data-area offset `base`. */
  reset(base: number): void {
    this.body.reset();
    this.lists.reset();
    this.terms = 0;
    this.prevLength = 0;
    this.restarts = [];
    this.base = base;
  }

  /** The stored copy of external list `raw`: an earlier identical one, or a new one in this block's area. */
  private external(raw: Uint8Array): WrittenList {
    const key = crc32(raw);
    let bucket = this.written.get(key);
    if (bucket === undefined) this.written.set(key, (bucket = []));
    for (const e of bucket) if (bytesEqual(e.raw, raw)) return e;
    const { stored, codec } = raw.length >= COMPRESS_LIST_BYTES ? encodeStored(raw) : { stored: raw, codec: CODEC_PLAIN };
    const start = this.lists.length;
    this.lists.u8(codec);
    this.lists.bytes(stored);
    const bytes = this.lists.finish().subarray(start);
    const e: WrittenList = { raw, offset: this.base + start, length: bytes.length, crc: crc32(bytes) };
    bucket.push(e);
    return e;
  }
}

/** An entry's list kind, the low two bits of its ref varint (format.ts). */
export const LIST_INLINE = 0;
export const LIST_EXTERNAL = 1;
export const LIST_SINGLE = 2;

/** Where an entry's posting list is: inline in the body, external before the block, or one position. */
export interface ListRef {
  readonly listKind: number;
  /** Inline: body[listStart, listEnd); single: listStart is the position. */
  readonly listStart: number;
  readonly listEnd: number;
  /** External: listLength bytes at data-area offset listOffset, CRC listCrc. */
  readonly listOffset: number;
  readonly listLength: number;
  readonly listCrc: number;
}

/**
 * Walks the entries of a decoded block body. After next() returns true: the term is
 * term[0, termLength); `count` its positions; an inline list is body[listStart, listEnd), a
 * single position is listStart; an external list is `listLength` bytes at data-area offset
 * `listOffset`, with CRC `listCrc`.
 * Validates every length against the body, and that external lists lie before the block.
 */
export class BlockScanner implements ListRef {
  term = new Uint8Array(64);
  termLength = 0;
  count = 0;
  listKind = LIST_INLINE;
  listStart = 0;
  listEnd = 0;
  listOffset = 0;
  listLength = 0;
  listCrc = 0;
  private body: Uint8Array = this.term;
  private readonly cur: VarintCursor = { pos: 0 };
  private left = 0;
  private terms = 0;
  private blockStart = 0;
  /** Where the entries end and the restart table starts; restart count. */
  private entriesEnd = 0;
  private restartCount = 0;

  /**
   * Starts over at the first of the `terms` entries of `body`, a block stored at data-area
   * offset `blockStart` (its external lists all end at or before it). Checks the restart table.
   */
  reset(body: Uint8Array, terms: number, blockStart: number): void {
    const n = Math.ceil(terms / RESTART_INTERVAL);
    if (body.length < 4 + 4 * n || this.u32(body, body.length - 4) !== n) throw corrupt(`restart table does not list ${n} restarts for ${terms} terms`);
    this.body = body;
    this.terms = terms;
    this.restartCount = n;
    this.entriesEnd = body.length - 4 - 4 * n;
    for (let r = 1; r < n; r++) if (this.restartOffset(r) <= this.restartOffset(r - 1)) throw corrupt(`restart ${r} does not follow restart ${r - 1}`);
    this.blockStart = blockStart;
    this.seekRestart(0);
  }

  /**
   * Positions the scan so that next() yields the first term >= q, or a term before it in the
   * same restart run (at most RESTART_INTERVAL - 1 of them): binary search over the restarts.
   */
  seek(q: Uint8Array): void {
    let lo = 0;
    let hi = this.restartCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareRestart(mid, q) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.seekRestart(Math.max(0, lo - 1));
  }

  next(): boolean {
    if (this.left === 0) {
      if (this.cur.pos !== this.entriesEnd) throw corrupt(`entries end at ${this.cur.pos}, the restart table at ${this.entriesEnd}`);
      return false;
    }
    this.left--;
    const shared = this.varint();
    const suffix = this.varint();
    const len = shared + suffix;
    if (shared > this.termLength || len > MAX_TERM_BYTES || this.cur.pos + suffix > this.entriesEnd) throw corrupt(`entry at ${this.cur.pos}: ${shared}+${suffix} term bytes`);
    if (this.term.length < len) {
      const t = new Uint8Array(len * 2);
      t.set(this.term.subarray(0, shared));
      this.term = t;
    }
    const body = this.body;
    const term = this.term;
    for (let i = 0, p = this.cur.pos; i < suffix; i++) term[shared + i] = body[p + i]!;
    this.termLength = len;
    this.cur.pos += suffix;
    const ref = this.varint();
    const value = Math.floor(ref / 4);
    this.listKind = ref % 4;
    if (this.listKind === LIST_SINGLE) {
      this.count = 1;
      this.listStart = value;
    } else if (this.listKind === LIST_EXTERNAL) {
      const listLen = value;
      this.count = this.varint();
      const offset = this.varint();
      if (this.cur.pos + 4 > this.entriesEnd || listLen === 0 || offset + listLen > this.blockStart) throw corrupt(`external list of ${listLen} bytes at ${offset} does not lie before its block`);
      this.listCrc = this.u32(this.body, this.cur.pos);
      this.cur.pos += 4;
      this.listOffset = offset;
      this.listLength = listLen;
    } else if (this.listKind === LIST_INLINE) {
      const listLen = value;
      if (listLen === 0 || this.cur.pos + listLen > this.entriesEnd) throw corrupt(`inline list of ${listLen} bytes overruns the block`);
      this.count = postingsCount(this.body, this.cur.pos, this.cur.pos + listLen);
      this.listStart = this.cur.pos;
      this.listEnd = this.cur.pos + listLen;
      this.cur.pos += listLen;
    } else {
      throw corrupt(`unknown list kind ${this.listKind} at ${this.cur.pos}`);
    }
    return true;
  }

  /** Starts at restart r (entry r × RESTART_INTERVAL, stored whole). */
  private seekRestart(r: number): void {
    const at = r < this.restartCount ? this.restartOffset(r) : this.entriesEnd;
    this.cur.pos = at;
    this.left = r < this.restartCount ? this.terms - r * RESTART_INTERVAL : 0;
    this.termLength = 0;
  }

  private restartOffset(r: number): number {
    const at = this.u32(this.body, this.entriesEnd + 4 * r);
    if (at >= this.entriesEnd || (r === 0 && at !== 0)) throw corrupt(`restart ${r} at ${at} outside the ${this.entriesEnd} entry bytes`);
    return at;
  }

  /** Compares the (whole) term of restart r with q, without copying it. */
  private compareRestart(r: number, q: Uint8Array): number {
    this.cur.pos = this.restartOffset(r);
    const shared = this.varint();
    const suffix = this.varint();
    if (shared !== 0 || this.cur.pos + suffix > this.entriesEnd) throw corrupt(`restart ${r} is not a whole term`);
    return compareBytes(this.body, this.cur.pos, this.cur.pos + suffix, q);
  }

  /** The little-endian u32 at b[at]. */
  private u32(b: Uint8Array, at: number): number {
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  /** A varint of the entries area (never read into the restart table). */
  private varint(): number {
    try {
      return readVarint(this.body, this.cur, this.entriesEnd);
    } catch (err) {
      throw corrupt(errorMessage(err));
    }
  }
}
