/**
 * Minimal protobuf wire reader and writer for the hand-decoded messages of the receivers (Loki
 * push, OTLP logs): a cursor over [pos, end) of one buffer, fields read as offsets, unknown
 * fields skipped by wire type. No schema, no allocation per scalar. The reader throws
 * ParseError (with the offset) on truncated or malformed input; the writer builds small replies.
 */

import { errorMessage, ParseError } from "../errors.ts";
import { utf8Text } from "./utf8.ts";
import { readVarint, varintSize, writeVarint } from "./varint.ts";

/** Wire types (protobuf encoding spec). */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;

export class ProtoReader {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    start = 0,
    readonly end = b.length,
  ) {
    this.pos = start;
  }

  /** A varint up to 2^53 (tags, lengths, enums, counts); 10 bytes allowed as the spec says. */
  varint(): number {
    const p = this.pos;
    if (p < this.end && this.b[p]! < 0x80) {
      this.pos = p + 1;
      return this.b[p]!;
    }
    try {
      return readVarint(this.b, this, this.end, 10);
    } catch (err) {
      throw new ParseError(this.pos, errorMessage(err));
    }
  }

  /**
   * A 64-bit varint as a two's-complement int64: a number when it is a safe integer, else its
   * exact decimal text (the rare huge values stay exact without bigint on the common path).
   */
  int64(): number | string {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ParseError(this.pos, "truncated varint");
      const byte = this.b[this.pos++]!;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >>> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
      if (byte < 0x80) return int64Of(lo >>> 0, hi >>> 0);
    }
    throw new ParseError(start, "varint longer than 10 bytes");
  }

  /** Start and end of a length-delimited field's bytes. */
  bytes(): [number, number] {
    const s = this.lengthDelimited();
    return [s, this.pos];
  }

  /** Steps over a length-delimited field; returns where its bytes start (they end at the new `pos`). */
  lengthDelimited(): number {
    const len = this.varint();
    const s = this.pos;
    if (len > this.end - s) throw new ParseError(s, `length ${len} runs past the end`);
    this.pos = s + len;
    return s;
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    const [s, e] = this.bytes();
    return utf8Text(this.b, s, e);
  }

  /** A little-endian fixed64 as an unsigned number (exact up to 2^53). */
  fixed64(): number {
    const lo = this.fixed32();
    return this.fixed32() * TWO_32 + lo;
  }

  /** A fixed64 of nanoseconds as whole microseconds, exact over the whole uint64 range. */
  fixed64NanosToMicros(): number {
    const lo = this.fixed32();
    const hi = this.fixed32();
    // ns = hi * 2^32 + lo and 2^32 = 1000 * 4294967 + 296, so µs = hi*4294967 + (hi*296 + lo) / 1000.
    return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
  }

  /** A little-endian fixed32 (unsigned). */
  fixed32(): number {
    if (this.pos + 4 > this.end) throw new ParseError(this.pos, "fixed32 runs past the end");
    const b = this.b;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** A little-endian double. */
  double(): number {
    if (this.pos + 8 > this.end) throw new ParseError(this.pos, "double runs past the end");
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.pos += 8;
    else if (wire === WIRE_LEN) this.bytes();
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else throw new ParseError(this.pos, `unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new ParseError(this.end, "field runs past the end");
  }
}

function int64Of(lo: number, hi: number): number | string {
  if (hi < 0x200000) return hi * TWO_32 + lo; // < 2^53: a safe positive integer
  if (hi >= 0xffe00000 && (hi !== 0xffe00000 || lo !== 0)) return (hi - TWO_32) * TWO_32 + lo; // > -2^53
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Encodes small messages: fields appended in order, nested messages from their own writer. */
export class ProtoWriter {
  private parts: number[] = [];

  /** A varint field (non-negative safe integer). */
  varintField(field: number, v: number): this {
    return this.raw(tagBytes(field, WIRE_VARINT)).raw(varintBytes(v));
  }

  /** A length-delimited field. */
  bytesField(field: number, v: Uint8Array): this {
    return this.raw(tagBytes(field, WIRE_LEN)).raw(varintBytes(v.length)).raw(v);
  }

  stringField(field: number, v: string): this {
    return this.bytesField(field, new TextEncoder().encode(v));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  private raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
}

function tagBytes(field: number, wire: number): Uint8Array {
  return varintBytes(field * 8 + wire);
}

function varintBytes(v: number): Uint8Array {
  const out = new Uint8Array(varintSize(v));
  writeVarint(out, 0, v);
  return out;
}
