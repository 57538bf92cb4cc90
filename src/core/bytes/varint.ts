/**
 * Unsigned LEB128 varints over Uint8Array with explicit offsets (no allocation per value).
 * Values up to 2^53-1 are exact. Decoders report the next offset through a one-slot scratch.
 */

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

/** Reads a varint at `cur.pos` (advancing it). Throws RangeError on truncation or overflow. */
export function readVarint(buf: Uint8Array, cur: VarintCursor): number {
  let result = 0;
  let mul = 1;
  let pos = cur.pos;
  for (let i = 0; i < 8; i++) {
    if (pos >= buf.length) throw new RangeError("truncated varint");
    const b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) {
      cur.pos = pos;
      return result;
    }
    mul *= 128;
  }
  throw new RangeError("varint too long");
}
