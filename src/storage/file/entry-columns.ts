/**
 * The entries of one active chunk held in memory, byte-identical to the entries region of its
 * file (format.ts): the writer stages new entries here and writes the pending byte ranges out,
 * readers in the same process binary-search them without a syscall. Entries live in pages of
 * PAGE_ENTRIES: the first page grows by doubling up to that size, later pages are added whole,
 * so growth never copies more than one page (doubling one buffer left the outgrown halves,
 * as much again as the entries, as garbage until a collection). Entries never change, so
 * pages handed out stay valid.
 */

import { closeSync, openSync, readSync } from "node:fs";
import { CorruptError } from "../../core/errors.ts";
import { lowerBound } from "../cursor.ts";
import { decodeHeader, ENTRY_BYTES, ENTRY_F64, ENTRY_U32, HEADER_BYTES } from "./format.ts";

/** log2 of the entries per page: 64 Ki entries, 2 MiB. */
const PAGE_SHIFT = 16;
/** Entries per full page. */
export const PAGE_ENTRIES = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_ENTRIES - 1;
/** Entries of the first page of new columns. */
const FIRST_PAGE_ENTRIES = 1024;

/** One page: the same bytes as f64 and u32 columns. */
interface Page {
  bytes: Uint8Array;
  f64: Float64Array;
  u32: Uint32Array;
}

function page(bytes: Uint8Array): Page {
  return { bytes, f64: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8), u32: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) };
}

/** In-memory copy of an entries region; accessors take the entry index. */
export class EntryColumns {
  /** Every page but the last holds PAGE_ENTRIES. */
  private pages: Page[] = [];
  /** Entries the pages hold room for. */
  private capacity = 0;

  constructor(capacity = FIRST_PAGE_ENTRIES) {
    this.ensure(capacity);
  }

  /** Columns over a copy of an entries region read from disk (`n` whole entries). */
  static fromBytes(region: Uint8Array, n: number): EntryColumns {
    const c = new EntryColumns(Math.max(n, FIRST_PAGE_ENTRIES));
    for (let i = 0; i < n; i += PAGE_ENTRIES) {
      c.pages[i >>> PAGE_SHIFT]!.bytes.set(region.subarray(i * ENTRY_BYTES, Math.min(n, i + PAGE_ENTRIES) * ENTRY_BYTES));
    }
    return c;
  }

  /**
   * Columns viewing `region` (whole entries, starting 8-byte aligned) without a copy, for a
   * reader that never appends: the seal job reads a chunk's entries this way (a copy was one
   * more chunk-sized buffer alive in the seal worker, ~9 MiB per 32 MiB chunk).
   */
  static view(region: Uint8Array): EntryColumns {
    if (region.byteOffset % 8 !== 0 || region.length % ENTRY_BYTES !== 0) throw new RangeError("entry region is not 8-byte aligned whole entries");
    const c = new EntryColumns(0);
    const n = region.length / ENTRY_BYTES;
    for (let i = 0; i < n; i += PAGE_ENTRIES) c.pages.push(page(region.subarray(i * ENTRY_BYTES, Math.min(n, i + PAGE_ENTRIES) * ENTRY_BYTES)));
    c.capacity = n;
    return c;
  }

  /**
   * Columns over the first `records` entries of the entries file at `path` (header checked),
   * read into one exact-size buffer and viewed without a copy.
   */
  static load(path: string, records: number): EntryColumns {
    const fd = openSync(path, "r");
    try {
      const buf = new Uint8Array(HEADER_BYTES + records * ENTRY_BYTES);
      let done = 0;
      while (done < buf.length) {
        const n = readSync(fd, buf, done, buf.length - done, done);
        if (n === 0) throw new CorruptError(path, done, `entries file ends before the ${records} committed entries`);
        done += n;
      }
      decodeHeader(path, buf, "entries");
      return EntryColumns.view(buf.subarray(HEADER_BYTES));
    } finally {
      closeSync(fd);
    }
  }

  /** Makes room for `n` entries in total. */
  ensure(n: number): void {
    while (this.capacity < n) this.grow(n);
  }

  /**
   * Adds room: a short last page (a new chunk's first, or a view's tail) is replaced by one of
   * twice its size, up to a full page; else a page is added (only the first may be short).
   */
  private grow(n: number): void {
    const last = this.pages.length - 1;
    const lastLen = last < 0 ? PAGE_ENTRIES : this.pages[last]!.bytes.length / ENTRY_BYTES;
    if (lastLen < PAGE_ENTRIES) {
      const len = Math.min(Math.max(lastLen * 2, FIRST_PAGE_ENTRIES), PAGE_ENTRIES);
      const bytes = new Uint8Array(len * ENTRY_BYTES);
      bytes.set(this.pages[last]!.bytes);
      this.pages[last] = page(bytes);
      this.capacity += len - lastLen;
      return;
    }
    const len = last < 0 ? Math.min(Math.max(n, FIRST_PAGE_ENTRIES), PAGE_ENTRIES) : PAGE_ENTRIES;
    this.pages.push(page(new Uint8Array(len * ENTRY_BYTES)));
    this.capacity += len;
  }

  /** Stores entry i (room made by ensure). */
  set(i: number, writeTs: number, ingestTs: number, sourceTs: number, rawEnd: number, attrEnd: number): void {
    const p = this.pages[i >>> PAGE_SHIFT]!;
    const fo = (i & PAGE_MASK) * ENTRY_F64;
    p.f64[fo] = writeTs;
    p.f64[fo + 1] = ingestTs;
    p.f64[fo + 2] = sourceTs;
    p.u32[fo * 2 + 6] = rawEnd;
    p.u32[fo * 2 + 7] = attrEnd;
  }

  /** Bytes of entries [from, to): views, one per page they span. */
  ranges(from: number, to: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = from; i < to; ) {
      const end = Math.min(to, ((i >>> PAGE_SHIFT) + 1) << PAGE_SHIFT);
      out.push(this.pages[i >>> PAGE_SHIFT]!.bytes.subarray((i & PAGE_MASK) * ENTRY_BYTES, (i & PAGE_MASK) * ENTRY_BYTES + (end - i) * ENTRY_BYTES));
      i = end;
    }
    return out;
  }

  writeTs(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]!.f64[(i & PAGE_MASK) * ENTRY_F64]!;
  }

  ingestTs(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]!.f64[(i & PAGE_MASK) * ENTRY_F64 + 1]!;
  }

  sourceTs(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]!.f64[(i & PAGE_MASK) * ENTRY_F64 + 2]!;
  }

  /** Start of record i's payload in the raw data region. */
  rawStart(i: number): number {
    return i === 0 ? 0 : this.rawEnd(i - 1);
  }

  rawEnd(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]!.u32[(i & PAGE_MASK) * ENTRY_U32 + 6]!;
  }

  attrStart(i: number): number {
    return i === 0 ? 0 : this.attrEnd(i - 1);
  }

  attrEnd(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]!.u32[(i & PAGE_MASK) * ENTRY_U32 + 7]!;
  }

  /** First of the first `n` entries whose writeTs >= ts, or n. */
  lowerBoundWriteTs(n: number, ts: number): number {
    return lowerBound(n, ts, (i) => this.writeTs(i));
  }
}

/** Entries [shift + 1, …) of a chunk as local indexes 1, 2, …: `cols.rawStart(p - shift)` is entry p's. */
export interface EntrySpan {
  cols: EntryColumns;
  shift: number;
}

/**
 * Reads spans of an entries file into one reused buffer instead of holding the whole region:
 * a seal walks its chunk once, front to back, and needs only the entries of the batch it reads
 * (a whole region was ~5 MiB per 32 MiB chunk in each seal thread). A span is valid until the
 * next read.
 */
export class EntryWindow {
  private fd: number;
  private buf = new Uint8Array(0);

  constructor(
    private readonly path: string,
    private readonly records: number,
  ) {
    this.fd = openSync(path, "r");
    try {
      const head = new Uint8Array(HEADER_BYTES);
      readSync(this.fd, head, 0, HEADER_BYTES, 0);
      decodeHeader(path, head, "entries");
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  /**
   * Entries [from, to) (to ≤ the record count) with the entry before `from` at local index 0
   * (zeros for from = 0, so rawStart and attrStart of `from` read 0): local index = p - shift.
   */
  read(from: number, to: number): EntrySpan {
    if (to > this.records) throw new RangeError(`entries ${from}..${to} past the ${this.records} committed`);
    const n = to - from + 1;
    if (this.buf.length < n * ENTRY_BYTES) this.buf = new Uint8Array(n * ENTRY_BYTES);
    const first = Math.max(from - 1, 0);
    const at = from === 0 ? ENTRY_BYTES : 0;
    if (from === 0) this.buf.fill(0, 0, ENTRY_BYTES);
    const want = (to - first) * ENTRY_BYTES;
    let done = 0;
    while (done < want) {
      const got = readSync(this.fd, this.buf, at + done, want - done, HEADER_BYTES + first * ENTRY_BYTES + done);
      if (got === 0) throw new CorruptError(this.path, HEADER_BYTES + first * ENTRY_BYTES + done, `entries file ends before the ${this.records} committed entries`);
      done += got;
    }
    return { cols: EntryColumns.view(this.buf.subarray(0, n * ENTRY_BYTES)), shift: from - 1 };
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
