/**
 * Reads a text file's regions: where they start and end (line-aligned, found with a few small
 * reads at open — no full pass) and, on first use, one region's lines as a compacted payload
 * buffer plus record offsets. Line rules are core/lines.ts's LineSplitter (the importer's).
 * Plain pread, not mmap: terminators must be cut out anyway, and a truncated file then fails
 * with an error instead of SIGBUS.
 */

import { readSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { LineSplitter, type LineSink } from "../../core/lines.ts";

const NL = 10;
/** Bytes read per pread while loading a region; lines are copied out of this scratch. */
const PIECE_BYTES = 4 << 20;
/** Largest payload buffer allocated up front; a region of huge (truncated) lines grows it. */
const MAX_INITIAL_CAPACITY = 256 << 20;
/** Bytes read per probe when looking for the newline that ends a region. */
const PROBE_BYTES = 64 << 10;

let scratch: Buffer | undefined;

/** One region's records: record i is data[offsets[i], offsets[i+1]). */
export interface RegionLines {
  readonly data: Uint8Array;
  /** count + 1 offsets into data. */
  readonly offsets: Uint32Array;
  readonly count: number;
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

/** Copies each line's kept bytes to the end of the compacted buffer and records its offset. */
class CompactingSink implements LineSink {
  /** The pread buffer being split; its lines are copied with the native Buffer.copy. */
  source: Buffer = Buffer.alloc(0);
  data: Buffer;
  offsets: Uint32Array;
  count = 0;
  readonly truncated = new Map<number, number>();

  constructor(capacity: number, expectedLines: number) {
    this.data = Buffer.allocUnsafe(capacity);
    this.offsets = new Uint32Array(expectedLines + 1);
  }

  line(buf: Uint8Array, start: number, end: number, fullLength: number): void {
    const at = this.offsets[this.count]!;
    const len = end - start;
    if (at + len > this.data.length) this.data = grow(this.data, at + len);
    if (buf === this.source) this.source.copy(this.data, at, start, end);
    else this.data.set(buf.subarray(start, end), at);
    if (fullLength > len) this.truncated.set(this.count, fullLength);
    if (this.count + 2 > this.offsets.length) {
      const more = new Uint32Array(this.offsets.length * 2);
      more.set(this.offsets);
      this.offsets = more;
    }
    this.offsets[++this.count] = at + len;
  }
}

function grow(buf: Buffer, need: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
  buf.copy(next, 0, 0, buf.length);
  return next;
}

/**
 * Splits file bytes [start, end) into records. Throws LogError("unavailable") when the file
 * no longer holds those bytes (truncated or replaced since it was opened).
 */
export function loadRegionLines(fd: number, path: string, start: number, end: number): RegionLines {
  const bytes = end - start;
  const sink = new CompactingSink(Math.min(bytes, MAX_INITIAL_CAPACITY), (bytes >>> 6) + 16);
  const splitter = new LineSplitter();
  scratch ??= Buffer.allocUnsafe(PIECE_BYTES);
  for (let pos = start; pos < end; ) {
    const got = readSync(fd, scratch, 0, Math.min(PIECE_BYTES, end - pos), pos);
    if (got <= 0) throw new LogError("unavailable", `text store: "${path}" ends before byte ${end}: it was truncated or replaced after it was opened`);
    sink.source = got === scratch.length ? scratch : scratch.subarray(0, got);
    splitter.push(sink.source, sink);
    pos += got;
  }
  splitter.finish(sink);
  return { data: sink.data, offsets: sink.offsets.subarray(0, sink.count + 1), count: sink.count, truncated: sink.truncated };
}
