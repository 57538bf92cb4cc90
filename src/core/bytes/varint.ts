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

/**
 * Decodes `out.length` consecutive varints at `buf[pos]` into `out` and returns the offset after
 * them: one- and two-byte values are read inline, longer ones through readVarint (the same limits and
 * errors). The hot loop of block decoding, where most values are one byte.
 */
export function readVarintsInto(buf: Uint8Array, pos: number, end: number, out: Uint32Array | Float64Array): number {
  const n = out.length;
  const cur = { pos };
  for (let i = 0; i < n; i++) {
    const b = pos < end ? buf[pos]! : 0x80;
    if (b < 0x80) {
      out[i] = b;
      pos++;
    } else if (pos + 1 < end && buf[pos + 1]! < 0x80) {
      out[i] = (b & 0x7f) | (buf[pos + 1]! << 7);
      pos += 2;
    } else {
      cur.pos = pos;
      out[i] = readVarint(buf, cur, end);
      pos = cur.pos;
    }
  }
  return pos;
}

/**
 * The offset after `n` consecutive varints at `buf[pos]`, without decoding them (a byte walk
 * counting terminators). Throws RangeError when they run past `end` or one is longer than
 * MAX_VARINT_BYTES.
 */
export function skipVarints(buf: Uint8Array, pos: number, end: number, n: number): number {
  let run = 0;
  while (n > 0) {
    if (pos >= end) throw new RangeError(`truncated varint at offset ${pos}`);
    if (buf[pos++]! < 0x80) {
      n--;
      run = 0;
    } else if (++run >= MAX_VARINT_BYTES) throw new RangeError(`varint longer than ${MAX_VARINT_BYTES} bytes at offset ${pos - run}`);
  }
  return pos;
}
