/**
 * Timestamp columns of a block body. A column is
 *
 *   mode u8 │ base varint │ count × varint
 *
 * MODE_DELTA  (non-decreasing column):   base = first value, varints = v[i] - v[i-1]
 * MODE_ZIGZAG (values <= MAX_ZIGZAG_TS): base = first value, zigzag(v[i] - v[i-1])
 * MODE_BASE   (any safe values):         base = min, varints = v[i] - min
 * MODE_REF    (values, ref <= MAX_ZIGZAG_TS): base = 0, zigzag(ref[i] - v[i]) where ref is the
 *             previously decoded column (ingestTs against writeTs, sourceTs against ingestTs)
 * with v[-1] = base. The encoder picks the applicable mode with the fewest varint bytes; all are
 * exact for safe non-negative integers. Small repeated numbers are what zstd shrinks best.
 *
 * Scaled columns: the mode byte is mode + MODE_SCALES × k, and every varint after the base is
 * divided by SCALES[k] (1000 or 1 000 000) when all of them are multiples of it — log times
 * with millisecond or second precision then cost their varints in ms or s, not µs. Measured on
 * the 1.2M-line bench corpus (zstd -3 blocks): the sourceTs column took 0.0123 of raw bytes
 * unscaled, 0.0089 scaled; segment data 0.214 -> 0.211 of raw. Mode bytes 0-3 (unscaled) are
 * what segments written before scaling hold; they read unchanged (older readers reject 4-11).
 */

import type { ByteWriter } from "../../core/bytes/growable.ts";
import { readVarint, readVarintsInto, skipVarints, varintSize } from "../../core/bytes/varint.ts";

export const MODE_DELTA = 0;
export const MODE_ZIGZAG = 1;
export const MODE_BASE = 2;
export const MODE_REF = 3;
/** Number of base modes; a mode byte is mode + MODE_SCALES × scale index. */
export const MODE_SCALES = 4;
/** Divisors of a scaled column's varints, by scale index (0 = unscaled). */
export const SCALES = [1, 1000, 1_000_000] as const;
/** Largest value for which zigzag differences stay exact in a double (2^52 µs ≈ year 2112). */
export const MAX_ZIGZAG_TS = 2 ** 52;

function zigzag(d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Appends the column for `values[0, count)`; `ref` (same length) enables MODE_REF. */
export function encodeTsColumn(values: readonly number[], count: number, out: ByteWriter, ref?: readonly number[]): void {
  let monotone = true;
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  let refMax = 0;
  let deltaCost = 0;
  let zigzagCost = 0;
  let refCost = 0;
  for (let i = 0; i < count; i++) {
    const x = values[i]!;
    const prev = i === 0 ? x : values[i - 1]!;
    if (x < prev) monotone = false;
    else deltaCost += varintSize(x - prev);
    zigzagCost += varintSize(zigzag(x - prev));
    if (ref !== undefined) {
      refCost += varintSize(zigzag(ref[i]! - x));
      if (ref[i]! > refMax) refMax = ref[i]!;
    }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const base = count === 0 ? 0 : values[0]!;
  let mode = MODE_BASE;
  let best = Infinity;
  if (monotone) [mode, best] = [MODE_DELTA, deltaCost];
  if (max <= MAX_ZIGZAG_TS && zigzagCost < best) [mode, best] = [MODE_ZIGZAG, zigzagCost];
  if (ref !== undefined && max <= MAX_ZIGZAG_TS && refMax <= MAX_ZIGZAG_TS && refCost < best) mode = MODE_REF;
  const d = differences(mode, values, count, base, min, ref);
  const k = scaleIndex(d, count);
  const scale = SCALES[k]!;
  out.u8(mode + MODE_SCALES * k);
  out.varint(mode === MODE_BASE ? min : mode === MODE_REF ? 0 : base);
  const zig = mode === MODE_ZIGZAG || mode === MODE_REF;
  for (let i = 0; i < count; i++) out.varint(zig ? zigzag(d[i]! / scale) : d[i]! / scale);
}

/** Scratch of differences(), grown on demand (columns are encoded one at a time). */
let diffScratch = new Float64Array(1024);

/** What `mode` stores for each value before scaling and zigzag: from min, from ref, or from the previous value. */
function differences(mode: number, values: readonly number[], count: number, base: number, min: number, ref: readonly number[] | undefined): Float64Array {
  if (diffScratch.length < count) diffScratch = new Float64Array(Math.max(count, diffScratch.length * 2));
  const d = diffScratch;
  if (mode === MODE_BASE) for (let i = 0; i < count; i++) d[i] = values[i]! - min;
  else if (mode === MODE_REF) for (let i = 0; i < count; i++) d[i] = ref![i]! - values[i]!;
  else {
    let prev = base;
    for (let i = 0; i < count; i++) {
      d[i] = values[i]! - prev;
      prev = values[i]!;
    }
  }
  return d;
}

/** The largest scale index whose divisor divides every difference (0 when none does). */
function scaleIndex(d: Float64Array, count: number): number {
  let k = SCALES.length - 1;
  for (let i = 0; i < count && k > 0; i++) while (k > 0 && d[i]! % SCALES[k]! !== 0) k--;
  return k;
}

/** True when the column at `buf[pos]` (framing already checked) is a MODE_REF column. */
export function refersToColumn(buf: Uint8Array, pos: number): boolean {
  return buf[pos]! % MODE_SCALES === MODE_REF;
}

/** Reads a column's mode byte at `pos`, rejecting unknown modes and MODE_REF without a column to refer to. */
function readMode(buf: Uint8Array, pos: number, end: number, hasRef: boolean): number {
  if (pos >= end) throw new RangeError("timestamp column truncated");
  const byte = buf[pos]!;
  const mode = byte % MODE_SCALES;
  if (byte >= MODE_SCALES * SCALES.length || (mode === MODE_REF && !hasRef)) throw new RangeError(`invalid timestamp column mode ${byte}`);
  return byte;
}

/**
 * The offset after the column of `count` values at `buf[pos]`, checking its framing (mode,
 * varints within `end`) without decoding it; `hasRef` tells whether MODE_REF is allowed.
 */
export function skipTsColumn(buf: Uint8Array, pos: number, end: number, count: number, hasRef: boolean): number {
  readMode(buf, pos, end, hasRef);
  return skipVarints(buf, pos + 1, end, count + 1);
}

/**
 * Decodes a column at `buf[pos]` into `out[0, out.length)`; `ref` is the column MODE_REF
 * refers to. Returns the offset after the column; throws RangeError when malformed. The
 * varints are read in one pass (readVarintsInto) and then turned into values in place.
 */
export function decodeTsColumn(buf: Uint8Array, pos: number, end: number, out: Float64Array, ref?: Float64Array): number {
  const byte = readMode(buf, pos, end, ref !== undefined);
  const mode = byte % MODE_SCALES;
  const scale = SCALES[(byte - mode) / MODE_SCALES]!;
  const cur = { pos: pos + 1 };
  const base = readVarint(buf, cur, end);
  const after = readVarintsInto(buf, cur.pos, end, out);
  const n = out.length;
  if (mode === MODE_BASE) {
    for (let i = 0; i < n; i++) out[i] = base + out[i]! * scale;
  } else if (mode === MODE_REF) {
    for (let i = 0; i < n; i++) out[i] = ref![i]! - unzigzag(out[i]!) * scale;
  } else if (mode === MODE_DELTA) {
    let prev = base;
    for (let i = 0; i < n; i++) out[i] = prev += out[i]! * scale;
  } else {
    let prev = base;
    for (let i = 0; i < n; i++) out[i] = prev += unzigzag(out[i]!) * scale;
  }
  return after;
}
