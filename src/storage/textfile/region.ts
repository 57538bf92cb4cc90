/**
 * One chunk of a text file store: a line-aligned byte range of one file. Its records (the
 * lines) load on first use, the whole region or, once a byte search has counted it
 * (region-scan.ts), only the blocks asked for, and live in the store's cache until evicted;
 * the records a byte search found are read alone where it found their lines (not cached);
 * timestamps are parsed
 * per block of TS_BLOCK records on first access, a line without one inheriting the previous
 * timestamp of the same file, across regions, as the importer does. Block event-time ranges
 * survive eviction, so time pruning improves once a region has been read.
 */

import { LogError } from "../../core/errors.ts";
import type { ChunkId } from "../../core/ids.ts";
import { TRUNCATED_ATTR } from "../../core/limits.ts";
import type { Attrs, LogRecord } from "../../core/record.ts";
import { lowerBound } from "../cursor.ts";
import type { BlockInfo, ByteSearch, ChunkMeta, TimeRange } from "../types.ts";
import { compactInPlace, compactLines, loadRegionLines, type RegionLines } from "./lines.ts";
import { countAndSearch, searchCounted, type Found } from "./region-scan.ts";

/** Records per timestamp block (and the most records per batch). */
export const TS_BLOCK = 4096;
/** Lines read backwards for the inherited timestamp before parsing a whole earlier block. */
const LOOKBACK_LINES = 64;
/**
 * Most bytes read to return a run of hit records alone (from the first hit's line to the last
 * one's): a longer run loads its block instead, which stays cached for the next query.
 */
const ALONE_BYTES = 64 << 10;
/**
 * Most hits of one byte search whose lines a region remembers (20 bytes each). More hits are
 * dense enough (one line in 50 of a 32 MiB region) that their blocks are read instead.
 */
export const MAX_NOTED_HITS = 4096;
/** Event range of data not read yet: never excludes a time bound. */
const UNKNOWN: TimeRange = Object.freeze({ min: 0, max: Number.MAX_SAFE_INTEGER });

/** Epoch µs of the timestamp at the start of buf[start, end), or 0 when there is none. */
export type ParseTimestamp = (buf: Uint8Array, start: number, end: number) => number;

/** Keeps loaded regions within a byte budget (least recently used evicted first). */
export interface RegionCache {
  admit(r: Region, bytes: number): void;
  touch(r: Region): void;
}

/** What the regions of one file share. */
export interface TextFile {
  readonly path: string;
  /** -1 once the store is closed. */
  fd: number;
  /** `{file: basename}`, frozen, shared by every record of the file. */
  readonly attrs: Attrs;
  readonly parseTs: ParseTimestamp;
  /** Store open time: every record's ingestTs and writeTs. */
  readonly openTime: number;
  readonly cache: RegionCache;
}

/**
 * Loaded records of a region: all of them, or one block alone (`first` = b * TS_BLOCK). Record
 * `first + k` is line k of `lines`; per-block arrays count blocks from `first` too. Replaced as
 * a whole when it is evicted and loaded again.
 */
export interface LoadedRegion {
  readonly first: number;
  readonly lines: RegionLines;
  /** sourceTs per record, valid where `done` marks the block parsed. */
  readonly ts: Float64Array;
  readonly done: Uint8Array;
  /**
   * Per TS_BLOCK block, once a batch needed the whole block: its records' offsets in `raw`, where
   * they now lie back to back (compacted in place, terminators squeezed out; the record bounds
   * were moved with them).
   */
  readonly blocks: (Uint32Array | undefined)[];
}

function loadedRecords(first: number, lines: RegionLines): LoadedRegion {
  const blocks = Math.ceil(lines.count / TS_BLOCK);
  return { first, lines, ts: new Float64Array(lines.count), done: new Uint8Array(blocks), blocks: new Array(blocks).fill(undefined) };
}

/** Bytes of a loaded part as the cache counts them (raw bytes, bounds, timestamps). */
function loadedSize(l: LoadedRegion): number {
  return l.lines.raw.byteLength + l.lines.starts.byteLength * 2 + l.ts.byteLength;
}

/**
 * One region (chunk) of a text file. Its records load as a whole (a scan, or a count asked
 * before any search) or, once a byte search has counted the region and knows where each block
 * starts, block by block; a needle query reads the file once, then only its hits' lines.
 */
export class Region {
  private loaded: LoadedRegion | undefined;
  /** Blocks loaded alone while the whole region is not. */
  private readonly parts = new Map<number, LoadedRegion>();
  /** Bytes of `loaded` and `parts` as the cache counts them (raw bytes, bounds, timestamps, block offsets). */
  private loadedBytes = 0;
  private records = -1;
  private raw = -1;
  /** Region offset where each block starts, then the region's length; kept across eviction. */
  private blockStarts: Float64Array | undefined;
  private blockMin = new Float64Array(0);
  private blockMax = new Float64Array(0);
  private knownBlocks = 0;
  /**
   * Where the lines of the latest byte search's hits lie in the region (positions ascending,
   * [start, end) per hit, terminator included), when it found at most MAX_NOTED_HITS; kept
   * across eviction. Only the latest such search is kept, so a long session holds a bounded
   * amount per region.
   */
  private noted: Found | undefined;
  /** Record -> full length of lines cut to the limit; kept across eviction (it is tiny). */
  private truncated: ReadonlyMap<number, number> | undefined;
  private readonly truncAttrs = new Map<number, Attrs>();

  constructor(
    readonly id: ChunkId,
    readonly store: string,
    readonly file: TextFile,
    /** The region before this one in the same file (timestamps carry over from it). */
    readonly prev: Region | undefined,
    readonly start: number,
    readonly end: number,
  ) {}

  /** The whole region's loaded lines, reading the file on first use or after eviction. */
  state(): LoadedRegion {
    if (this.loaded !== undefined) {
      this.file.cache.touch(this);
      return this.loaded;
    }
    const lines = loadRegionLines(this.openFd(), this.file.path, this.start, this.end);
    if (this.records >= 0 && (lines.count !== this.records || lines.payload !== this.raw)) throw this.changed();
    if (this.records < 0) this.learnShape(lines.count, lines.payload, lines.truncated);
    if (this.blockStarts === undefined) {
      const bs = new Float64Array(Math.ceil(lines.count / TS_BLOCK) + 1);
      for (let b = 0; b + 1 < bs.length; b++) bs[b] = lines.starts[b * TS_BLOCK]!;
      bs[bs.length - 1] = this.end - this.start;
      this.blockStarts = bs;
    }
    const l = loadedRecords(0, lines);
    this.loaded = l;
    this.parts.clear();
    this.loadedBytes = loadedSize(l);
    this.file.cache.admit(this, this.loadedBytes);
    return l;
  }

  /**
   * The loaded records holding block b: the whole region when it is loaded or when where block
   * b starts is not known yet, else block b alone (read and split on first use).
   */
  private part(b: number): LoadedRegion {
    if (this.loaded !== undefined || this.blockStarts === undefined) return this.state();
    const had = this.parts.get(b);
    if (had !== undefined) {
      this.file.cache.touch(this);
      return had;
    }
    const bs = this.blockStarts;
    const lines = loadRegionLines(this.openFd(), this.file.path, this.start + bs[b]!, this.start + bs[b + 1]!);
    if (lines.count !== Math.min(TS_BLOCK, this.records - b * TS_BLOCK)) throw this.changed();
    const l = loadedRecords(b * TS_BLOCK, lines);
    this.parts.set(b, l);
    this.loadedBytes += loadedSize(l);
    this.file.cache.admit(this, this.loadedBytes);
    return l;
  }

  private openFd(): number {
    if (this.file.fd < 0) throw new LogError("unavailable", `store '${this.store}' is closed`);
    return this.file.fd;
  }

  private changed(): LogError {
    return new LogError("unavailable", `text store: "${this.file.path}" changed after it was opened (bytes ${this.start}-${this.end} hold other lines now)`);
  }

  private learnShape(count: number, payload: number, truncated: ReadonlyMap<number, number>): void {
    const blocks = Math.ceil(count / TS_BLOCK);
    this.records = count;
    this.truncated = truncated;
    this.raw = payload;
    this.blockMin = new Float64Array(blocks).fill(NaN);
    this.blockMax = new Float64Array(blocks).fill(NaN);
  }

  /** True when block b's compacted payload is loaded. */
  hasBlockPayload(b: number): boolean {
    const l = this.loaded ?? this.parts.get(b);
    return l?.blocks[b - l.first / TS_BLOCK] !== undefined;
  }

  /**
   * Records [from, to) of one block compacted, not kept (record k is data[offsets[k - from],
   * offsets[k - from + 1])). When their block is not loaded and a byte search noted where the
   * first and last of them lie, only those lines are read: a needle query's hits cost a small
   * read each instead of their blocks.
   */
  payload(from: number, to: number): { data: Buffer; offsets: Uint32Array } {
    const b = Math.floor(from / TS_BLOCK);
    const alone = this.loaded === undefined && !this.parts.has(b) ? this.readAlone(from, to) : undefined;
    if (alone !== undefined) return compactLines(alone, 0, alone.count);
    const l = this.part(b);
    return compactLines(l.lines, from - l.first, to - l.first);
  }

  /** Records [from, to) read from the file alone, or undefined when where they lie is not known or they span more than ALONE_BYTES. */
  private readAlone(from: number, to: number): RegionLines | undefined {
    const n = this.noted;
    const first = n === undefined ? -1 : notedIndex(n, from);
    const last = n === undefined ? -1 : notedIndex(n, to - 1);
    if (first < 0 || last < 0) return undefined;
    const start = n!.spans[2 * first]!;
    const end = n!.spans[2 * last + 1]!;
    if (end - start > ALONE_BYTES) return undefined;
    const lines = loadRegionLines(this.openFd(), this.file.path, this.start + start, this.start + end);
    if (lines.count !== to - from) throw this.changed();
    return lines;
  }

  /**
   * Block b's records as one payload (record k of the block is data[offsets[k], offsets[k+1])):
   * the region buffer itself, the block compacted in place on first use (no second copy of the
   * file in memory; the records' bytes and bounds stay valid).
   */
  blockPayload(b: number): { data: Buffer; offsets: Uint32Array } {
    const l = this.part(b);
    const from = b * TS_BLOCK - l.first;
    let offsets = l.blocks[from / TS_BLOCK];
    if (offsets === undefined) {
      offsets = l.blocks[from / TS_BLOCK] = compactInPlace(l.lines, from, Math.min(l.lines.count, from + TS_BLOCK));
      this.loadedBytes += offsets.byteLength;
      this.file.cache.admit(this, this.loadedBytes);
    }
    return { data: l.lines.raw, offsets };
  }

  /**
   * Ascending positions of the records whose kept bytes contain `needle` (ChunkView's
   * contract): native searches over the raw bytes, of the loaded region, or else (and always
   * when folding case) of the file read piece by piece, counting the region on the way the
   * first time; no record is split or copied.
   */
  positionsContaining(needle: Uint8Array, o: ByteSearch): Uint32Array | undefined {
    if (this.loaded === undefined || o.foldCase) return this.searchFile(needle, o);
    const accept = o.accept;
    this.file.cache.touch(this);
    const { raw, starts, ends, count } = this.loaded.lines;
    const out: number[] = [];
    let rec = 0;
    for (let h = raw.indexOf(needle); h >= 0; ) {
      // The record holding h: starts are ascending, search forward from the last hit's record.
      let lo = rec;
      let hi = count;
      while (lo + 1 < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= h) lo = mid;
        else hi = mid;
      }
      rec = lo;
      if (h + needle.length <= ends[rec]! && (accept === undefined || accept(raw, h, starts[rec]!, ends[rec]!))) {
        out.push(rec);
        // The next record's hits only: skip the rest of this line.
        rec++;
        if (rec >= count) break;
        h = raw.indexOf(needle, starts[rec]!);
      } else h = raw.indexOf(needle, h + 1);
    }
    return Uint32Array.from(out);
  }

  private searchFile(needle: Uint8Array, o: ByteSearch): Uint32Array | undefined {
    const fd = this.openFd();
    const bs = this.blockStarts;
    if (this.records >= 0 && bs !== undefined) return this.noteHits(searchCounted(fd, this.file.path, this.start, needle, o, bs, TS_BLOCK));
    const counted = countAndSearch(fd, this.file.path, this.start, this.end, needle, o, TS_BLOCK);
    if (counted === undefined) return undefined;
    const { found, shape } = counted;
    if (this.records >= 0 && (shape.count !== this.records || shape.payload !== this.raw)) throw this.changed();
    if (this.records < 0) this.learnShape(shape.count, shape.payload, shape.truncated);
    this.blockStarts = shape.blockStarts;
    return this.noteHits(found);
  }

  /** Remembers where the found records' lines lie (readAlone) when they are few, and returns their positions. */
  private noteHits(found: Found | undefined): Uint32Array | undefined {
    if (found === undefined) return undefined;
    if (found.positions.length <= MAX_NOTED_HITS) this.noted = found;
    return found.positions;
  }

  /** Drops the loaded lines (the cache calls this); counts, block starts and block ranges are kept. */
  evict(): void {
    this.loaded = undefined;
    this.parts.clear();
    this.loadedBytes = 0;
  }

  count(): number {
    return this.records >= 0 ? this.records : this.state().lines.count;
  }

  rawBytes(): number {
    if (this.raw < 0) this.state();
    return this.raw;
  }

  /** sourceTs of records [from, to) of one block, parsing the block on first access. */
  sourceTs(from: number, to: number): Float64Array {
    const b = Math.floor(from / TS_BLOCK);
    const l = this.part(b);
    if (l.done[b - l.first / TS_BLOCK] === 0) this.parseFrom(l, b);
    return l.ts.subarray(from - l.first, to - l.first);
  }

  /**
   * sourceTs of record `pos`, whose kept bytes are bytes[start, end): its line's own timestamp
   * when it has one (one parse, its block neither loaded nor parsed), else the inherited one as
   * sourceTs() finds it.
   */
  sourceTsOf(pos: number, bytes: Uint8Array, start: number, end: number): number {
    const own = this.file.parseTs(bytes, start, end);
    return own !== 0 ? own : this.sourceTs(pos, pos + 1)[0]!;
  }

  /** Attributes of record `pos`: the file's, plus `_truncated` for a line cut to the limit. */
  attrs(pos: number): Attrs {
    const cut = this.truncAttrs.get(pos);
    if (cut !== undefined) return cut;
    const full = (this.truncated ?? this.state().lines.truncated).get(pos);
    if (full === undefined) return this.file.attrs;
    const a = Object.freeze({ ...this.file.attrs, [TRUNCATED_ATTR]: String(full) });
    this.truncAttrs.set(pos, a);
    return a;
  }

  record(pos: number): LogRecord {
    const { data, offsets } = this.payload(pos, pos + 1);
    const t = this.file.openTime;
    // A copy: compacting its block in place later moves the bytes of the region buffer.
    return { raw: new Uint8Array(data.subarray(offsets[0], offsets[1])), attrs: this.attrs(pos), sourceTs: this.sourceTsOf(pos, data, offsets[0]!, offsets[1]!), ingestTs: t, writeTs: t };
  }

  /** Event time of the region's records; UNKNOWN until every block has been parsed once. */
  eventRange(): TimeRange {
    if (this.records < 0 || this.knownBlocks < this.blockMin.length) return UNKNOWN;
    let min = Infinity;
    let max = -Infinity;
    for (let b = 0; b < this.blockMin.length; b++) {
      if (this.blockMin[b]! < min) min = this.blockMin[b]!;
      if (this.blockMax[b]! > max) max = this.blockMax[b]!;
    }
    return { min, max };
  }

  blocks(): BlockInfo[] {
    const n = this.count();
    const w = { min: this.file.openTime, max: this.file.openTime };
    const out: BlockInfo[] = [];
    for (let b = 0; b * TS_BLOCK < n; b++) {
      const known = !Number.isNaN(this.blockMin[b]!);
      out.push({ first: b * TS_BLOCK, count: Math.min(TS_BLOCK, n - b * TS_BLOCK), writeTs: w, eventTs: known ? { min: this.blockMin[b]!, max: this.blockMax[b]! } : UNKNOWN });
    }
    return out;
  }

  /** ChunkMeta with records, rawBytes and eventTs read when asked (they may need a load). */
  meta(): ChunkMeta {
    const r = this;
    const t = this.file.openTime;
    return {
      id: this.id,
      store: this.store,
      state: "sealed",
      get records() {
        return r.count();
      },
      get rawBytes() {
        return r.rawBytes();
      },
      storedBytes: this.end - this.start,
      createdAt: t,
      writeTs: { min: t, max: t },
      ingestTs: { min: t, max: t },
      get eventTs() {
        return r.eventRange();
      },
      codec: "none",
      indexStatus: "none",
      indexBytes: 0,
    };
  }

  /**
   * Parses block b of `l`. The inherited timestamp comes from the nearest parsed block before
   * it, else from a short look back; failing both, earlier blocks are parsed first, in order.
   */
  private parseFrom(l: LoadedRegion, b: number): void {
    const chain: [Region, LoadedRegion, number][] = [[this, l, b]];
    let carry = 0;
    let r: Region = this;
    let pb = b - 1;
    for (;;) {
      if (pb < 0) {
        if (r.prev === undefined) break;
        r = r.prev;
        pb = Math.ceil(r.count() / TS_BLOCK) - 1;
      }
      const pl = r.part(pb);
      const last = Math.min(r.records, (pb + 1) * TS_BLOCK) - 1;
      if (pl.done[pb - pl.first / TS_BLOCK] === 1) {
        carry = pl.ts[last - pl.first]!;
        break;
      }
      carry = r.lookBack(pl, pb * TS_BLOCK, last);
      if (carry !== 0) break;
      chain.push([r, pl, pb]);
      pb--;
    }
    for (let k = chain.length - 1; k >= 0; k--) carry = chain[k]![0].parseBlock(chain[k]![1], chain[k]![2], carry);
  }

  /** The timestamp of the last timestamped line among the last lines of records [first, last], or 0. */
  private lookBack(l: LoadedRegion, first: number, last: number): number {
    const { raw, starts, ends } = l.lines;
    const parse = this.file.parseTs;
    for (let i = last - l.first; i >= Math.max(first, last - LOOKBACK_LINES + 1) - l.first; i--) {
      const t = parse(raw, starts[i]!, ends[i]!);
      if (t !== 0) return t;
    }
    return 0;
  }

  /** Fills block b's sourceTs starting from `carry`; returns the carry at its end. */
  private parseBlock(l: LoadedRegion, b: number, carry: number): number {
    const { raw, starts, ends } = l.lines;
    const ts = l.ts;
    const parse = this.file.parseTs;
    const open = this.file.openTime;
    const to = Math.min(this.records, (b + 1) * TS_BLOCK) - l.first;
    let min = Infinity;
    let max = -Infinity;
    for (let i = b * TS_BLOCK - l.first; i < to; i++) {
      const t = parse(raw, starts[i]!, ends[i]!);
      if (t !== 0) carry = t;
      ts[i] = carry;
      const ev = carry !== 0 ? carry : open;
      if (ev < min) min = ev;
      if (ev > max) max = ev;
    }
    l.done[b - l.first / TS_BLOCK] = 1;
    if (Number.isNaN(this.blockMin[b]!)) {
      this.blockMin[b] = min;
      this.blockMax[b] = max;
      this.knownBlocks++;
    }
    return carry;
  }
}

/** Index of record `rec` among the noted hits' positions, or -1. */
function notedIndex(n: Found, rec: number): number {
  const p = n.positions;
  const i = lowerBound(p.length, rec, (k) => p[k]!);
  return i < p.length && p[i] === rec ? i : -1;
}
