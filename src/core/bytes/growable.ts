/**
 * A growable byte buffer for encoders: append bytes, varints and fixed-width integers, then
 * take the filled prefix. Amortised doubling; no per-value allocation.
 */

import { copyBytes } from "./copy.ts";
import { varintSize, writeVarint } from "./varint.ts";

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes allocated (the filled prefix and the room after it). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    this.length = copyBytes(this.buf, this.length, src, start, end);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  u64(v: number): void {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  varint(v: number): void {
    this.ensure(varintSize(v));
    this.length = writeVarint(this.buf, this.length, v);
  }

  /** Writes the code units of an all-ASCII string as bytes (caller checked it is ASCII). */
  ascii(s: string): void {
    this.ensure(s.length);
    const buf = this.buf;
    let o = this.length;
    for (let i = 0; i < s.length; i++) buf[o++] = s.charCodeAt(i);
    this.length = o;
  }

  /**
   * Appends `s` with a one-byte varint length in one pass when it is ASCII and shorter than 128
   * code units; returns false, having written nothing, otherwise.
   */
  shortAscii(s: string): boolean {
    const n = s.length;
    if (n > 0x7f) return false;
    this.ensure(n + 1);
    const buf = this.buf;
    const o = this.length + 1;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[o + i] = c;
    }
    buf[o - 1] = n;
    this.length = o + n;
    return true;
  }

  /** The underlying buffer: the written bytes are its first `length` (valid until the next write). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** The written bytes (a view; copy if the writer will be reused). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}
