/**
 * The entries of one active chunk held in memory, byte-identical to the entries region of its
 * file (format.ts): the writer stages new entries here and writes the pending byte range out,
 * readers in the same process binary-search it without a syscall. Grows by doubling; views
 * taken earlier stay valid for the entries they already cover (entries never change).
 */

import { closeSync, openSync, readSync } from "node:fs";
import { CorruptError } from "../../core/errors.ts";
import { lowerBound } from "../cursor.ts";
import { decodeHeader, ENTRY_BYTES, ENTRY_F64, ENTRY_U32, HEADER_BYTES } from "./format.ts";

/** In-memory copy of an entries region; accessors take the entry index. */
export class EntryColumns {
  f64: Float64Array;
  u32: Uint32Array;
  private bytes: Uint8Array;

  constructor(capacity = 1024) {
    const buf = new ArrayBuffer(capacity * ENTRY_BYTES);
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.bytes = new Uint8Array(buf);
  }

  /** Columns over a copy of an entries region read from disk (`n` whole entries). */
  static fromBytes(region: Uint8Array, n: number): EntryColumns {
    const c = new EntryColumns(Math.max(n, 1024));
    c.bytes.set(region.subarray(0, n * ENTRY_BYTES));
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
    c.bytes = region;
    c.f64 = new Float64Array(region.buffer, region.byteOffset, region.length / 8);
    c.u32 = new Uint32Array(region.buffer, region.byteOffset, region.length / 4);
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
    if (n * ENTRY_BYTES <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < n * ENTRY_BYTES) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes);
    this.bytes = next;
    this.f64 = new Float64Array(next.buffer);
    this.u32 = new Uint32Array(next.buffer);
  }

  /** Bytes of entries [from, to), a view. */
  range(from: number, to: number): Uint8Array {
    return this.bytes.subarray(from * ENTRY_BYTES, to * ENTRY_BYTES);
  }

  writeTs(i: number): number {
    return this.f64[i * ENTRY_F64]!;
  }

  ingestTs(i: number): number {
    return this.f64[i * ENTRY_F64 + 1]!;
  }

  sourceTs(i: number): number {
    return this.f64[i * ENTRY_F64 + 2]!;
  }

  /** Start of record i's payload in the raw data region. */
  rawStart(i: number): number {
    return i === 0 ? 0 : this.u32[(i - 1) * ENTRY_U32 + 6]!;
  }

  rawEnd(i: number): number {
    return this.u32[i * ENTRY_U32 + 6]!;
  }

  attrStart(i: number): number {
    return i === 0 ? 0 : this.u32[(i - 1) * ENTRY_U32 + 7]!;
  }

  attrEnd(i: number): number {
    return this.u32[i * ENTRY_U32 + 7]!;
  }

  /** First of the first `n` entries whose writeTs >= ts, or n. */
  lowerBoundWriteTs(n: number, ts: number): number {
    const f = this.f64;
    return lowerBound(n, ts, (i) => f[i * ENTRY_F64]!);
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
