/**
 * Reads a text file's regions: where they start and end (line-aligned, found with a few small
 * reads at open — no full pass) and, on first use, one region's bytes in one buffer plus each
 * record's bounds in it (nothing copied per line, so a needle search over the raw bytes can
 * skip whole blocks); a batch's payload is its block compacted in place (compactInPlace) or,
 * for a few records, a copy of them (compactLines).
 * Line rules are core/lines.ts's LineSplitter (the importer's). Plain pread, not mmap: Bun.mmap
 * opens files read-write, and a truncated file then fails with an error instead of SIGBUS.
 */

import { readSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { LineSplitter, type LineSink } from "../../core/lines.ts";

const NL = 10;
/** Most bytes read per pread while loading a region. */
const PIECE_BYTES = 1 << 20;
/** Bytes read per probe when looking for the newline that ends a region. */
const PROBE_BYTES = 64 << 10;

/** One region's records: record i is raw[starts[i], ends[i]) (its terminator left out). */
export interface RegionLines {
  /** The region's file bytes as read. */
  readonly raw: Buffer;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly count: number;
  /** Bytes of all records (terminators excluded). */
  readonly payload: number;
  /** Record index -> line length before truncation, for lines cut to MAX_RAW_BYTES. */
  readonly truncated: ReadonlyMap<number, number>;
}

/**
 * Start offsets of line-aligned regions of about `target` bytes covering [start, size), plus
 * `size` at the end. Each region but the last ends just after a newline.
 */
export function regionBounds(fd: number, size: number, target: number, start = 0): number[] {
  const bounds = [start];
  let at = start;
  while (size - at > target) {
    const nl = nextNewline(fd, at + target - 1, size);
    if (nl < 0 || nl + 1 >= size) break;
    bounds.push((at = nl + 1));
  }
  bounds.push(size);
  return bounds;
}

function nextNewline(fd: number, from: number, size: number): number {
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  for (let pos = from; pos < size; ) {
    const got = readSync(fd, probe, 0, Math.min(PROBE_BYTES, size - pos), pos);
    if (got <= 0) return -1;
    const i = probe.subarray(0, got).indexOf(NL);
    if (i >= 0) return pos + i;
    pos += got;
  }
  return -1;
}

/** Notes where each line's kept bytes lie in the region buffer; nothing is copied. */
class BoundsSink implements LineSink {
  starts: Uint32Array;
  ends: Uint32Array;
  count = 0;
  /** Bytes of all kept lines (terminators excluded). */
  payload = 0;
  readonly truncated = new Map<number, number>();

  /** The piece of the region buffer being split, and its offset in the region. */
  piece: Uint8Array = new Uint8Array(0);
  pieceStart = 0;
  /** Start of the line being handed over: just past the previous line's terminator. */
  private next = 0;

  constructor(
    private readonly splitter: LineSplitter,
    expectedLines: number,
  ) {
    this.starts = new Uint32Array(expectedLines);
    this.ends = new Uint32Array(expectedLines);
  }

  line(buf: Uint8Array, start: number, end: number, fullLength: number): void {
    const len = end - start;
    // A line spanning pieces comes as the splitter's copy; it lies at `next` in the region.
    const at = buf === this.piece ? this.pieceStart + start : this.next;
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = at;
    this.ends[this.count] = at + len;
    if (fullLength > len) this.truncated.set(this.count, fullLength);
    this.count++;
    this.payload += len;
    this.next = this.splitter.lineEnd;
  }
}

function grow(a: Uint32Array): Uint32Array {
  const more = new Uint32Array(a.length * 2);
  more.set(a);
  return more;
}

/**
 * Reads file bytes [start, end) into one buffer and finds its records' bounds (no per-line
 * copy). Throws LogError("unavailable") when the file no longer holds those bytes (truncated or
 * replaced since it was opened).
 */
export function loadRegionLines(fd: number, path: string, start: number, end: number): RegionLines {
  const raw = Buffer.allocUnsafe(end - start);
  const splitter = new LineSplitter();
  const sink = new BoundsSink(splitter, ((end - start) >>> 6) + 16);
  // Split each piece right after reading it, while it is still in the CPU cache.
  for (let pos = start; pos < end; ) {
    const got = readSync(fd, raw, pos - start, Math.min(PIECE_BYTES, end - pos), pos);
    if (got <= 0) throw new LogError("unavailable", `text store: "${path}" ends before byte ${end}: it was truncated or replaced after it was opened`);
    sink.pieceStart = pos - start;
    sink.piece = raw.subarray(sink.pieceStart, sink.pieceStart + got);
    splitter.push(sink.piece, sink);
    pos += got;
  }
  splitter.finish(sink);
  return { raw, starts: sink.starts.subarray(0, sink.count), ends: sink.ends.subarray(0, sink.count), count: sink.count, payload: sink.payload, truncated: sink.truncated };
}

/**
 * Moves records [from, to) of `l` back to back where the first one starts (each only ever moves
 * towards the start, within its block's bytes), updates their bounds, and returns their count + 1
 * offsets in `l.raw`. A needle search of `raw` stays correct: a hit counts only inside a record.
 */
export function compactInPlace(l: RegionLines, from: number, to: number): Uint32Array {
  const { raw, starts, ends } = l;
  const offsets = new Uint32Array(to - from + 1);
  let at = from < to ? starts[from]! : 0;
  offsets[0] = at;
  for (let i = from; i < to; i++) {
    const s = starts[i]!;
    const len = ends[i]! - s;
    if (s !== at) raw.copyWithin(at, s, s + len);
    starts[i] = at;
    at += len;
    ends[i] = at;
    offsets[i - from + 1] = at;
  }
  return offsets;
}

/** Records [from, to) of `l` copied into one new payload, and count + 1 offsets into it. */
export function compactLines(l: RegionLines, from: number, to: number): { data: Buffer; offsets: Uint32Array } {
  const { raw, starts, ends } = l;
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += ends[i]! - starts[i]!;
  const data = Buffer.allocUnsafe(bytes);
  const offsets = new Uint32Array(to - from + 1);
  let at = 0;
  for (let i = from; i < to; i++) {
    at += raw.copy(data, at, starts[i]!, ends[i]!);
    offsets[i - from + 1] = at;
  }
  return { data, offsets };
}
