/**
 * The one unsigned LEB128 varint codec, over Uint8Array with explicit offsets (no allocation
 * per value). Values up to 2^53-1 are exact. Decoders advance a caller-owned cursor and throw
 * RangeError (with the offset) on truncation or an over-long encoding; each format bounds the
 * length it allows and turns the RangeError into its own corrupt/parse error.
 */

/** Longest encoding accepted by default: 8 bytes hold 56 bits, more than any safe integer. */
export const MAX_VARINT_BYTES = 8;

/** Bytes needed to encode `v`. */
export function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes `v` at `off`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, off: number, v: number): number {
  while (v >= 0x80) {
    buf[off++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[off++] = v;
  return off;
}

/** Cursor for decoding: `pos` advances as values are read. */
export interface VarintCursor {
  pos: number;
}

/**
 * Reads a varint at `cur.pos` (advancing it), not reading at or past `end`. One-byte values
 * (the common case for deltas, lengths and indexes) take a fast path. Throws RangeError when
 * the value is truncated by `end` or longer than `maxBytes`.
 */
export function readVarint(buf: Uint8Array, cur: VarintCursor, end = buf.length, maxBytes = MAX_VARINT_BYTES): number {
  let p = cur.pos;
  if (p >= end) throw new RangeError(`truncated varint at offset ${p}`);
  let b = buf[p++]!;
  if (b < 0x80) {
    cur.pos = p;
    return b;
  }
  let result = b & 0x7f;
  let mul = 128;
  for (let i = 1; i < maxBytes; i++) {
    if (p >= end) throw new RangeError(`truncated varint at offset ${p}`);
    b = buf[p++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) {
      cur.pos = p;
      return result;
    }
    mul *= 128;
  }
  throw new RangeError(`varint longer than ${maxBytes} bytes at offset ${cur.pos}`);
}
