/**
 * Sorts term ids by their bytes (unsigned, a prefix first) without a JS string per term: an MSD
 * sort three bytes at a time, each pass a native Float64Array sort of packed numbers. A packed
 * number is the next three bytes (each byte + 1, 0 past the term's end: 27 bits) times 2^26 plus
 * the id's index in the range being sorted; ids whose three bytes tie (all present) are sorted
 * again from three bytes further (distinct terms never tie past an end), and bytes all ids
 * share are skipped without a sort. Memory: 12 bytes per id, where strings and a Map from string
 * to id cost ~100 at the end of a seal with many distinct terms.
 */

/** Where term `id`'s bytes are: arena[starts[id] .. starts[id + 1]). */
export interface TermBytes {
  arena: Uint8Array;
  starts: Uint32Array;
}

/** Ranges at most this long are sorted by comparing bytes (insertion sort). */
const SMALL_RANGE = 12;
const INDEX_BITS = 26;
const INDEX_SCALE = 2 ** INDEX_BITS;
/** Below this many ids per range the packed index fits its 26 bits. */
const MAX_PACKED_RANGE = INDEX_SCALE;

/** Sorts `ids` in place, ascending by their terms' bytes (terms are distinct). */
export function sortIdsByBytes(ids: Uint32Array, t: TermBytes): void {
  const keys = new Float64Array(ids.length);
  const copy = new Uint32Array(ids.length);
  sortRange(ids, 0, ids.length, 0, t, keys, copy);
}

function sortRange(ids: Uint32Array, lo: number, hi: number, depth: number, t: TermBytes, keys: Float64Array, copy: Uint32Array): void {
  const n = hi - lo;
  if (n <= SMALL_RANGE || n >= MAX_PACKED_RANGE) {
    insertionOrComparatorSort(ids, lo, hi, depth, t);
    return;
  }
  const { arena, starts } = t;
  // A shared prefix (every id has the same three bytes) is skipped without sorting.
  for (; ; depth += 3) {
    let allSame = true;
    const first = digits(arena, starts, ids[lo]!, depth);
    for (let i = lo; i < hi; i++) {
      const d = digits(arena, starts, ids[i]!, depth);
      allSame &&= d === first;
      keys[i] = d * INDEX_SCALE + (i - lo);
    }
    if (!allSame) break;
    if ((first & 511) === 0) return;
  }
  const view = keys.subarray(lo, hi);
  view.sort();
  for (let i = lo; i < hi; i++) copy[i] = ids[i]!;
  for (let i = lo; i < hi; i++) ids[i] = copy[lo + (keys[i]! % INDEX_SCALE)]!;
  // Ranges whose three bytes tie and all continue: sort them on from three bytes further.
  let g = lo;
  while (g < hi) {
    const d = Math.floor(keys[g]! / INDEX_SCALE);
    let e = g + 1;
    while (e < hi && Math.floor(keys[e]! / INDEX_SCALE) === d) e++;
    if (e - g > 1 && (d & 511) !== 0) sortRange(ids, g, e, depth + 3, t, keys, copy);
    g = e;
  }
}

/** Bytes depth..depth+2 of term `id`, each + 1 (0 past its end), as one 27-bit number. */
function digits(arena: Uint8Array, starts: Uint32Array, id: number, depth: number): number {
  const at = starts[id]! + depth;
  const end = starts[id + 1]!;
  const a = at < end ? arena[at]! + 1 : 0;
  const b = at + 1 < end ? arena[at + 1]! + 1 : 0;
  const c = at + 2 < end ? arena[at + 2]! + 1 : 0;
  return (a << 18) | (b << 9) | c;
}

/** Sorts ids[lo..hi) (equal in their first `depth` bytes) by comparing their bytes. */
function insertionOrComparatorSort(ids: Uint32Array, lo: number, hi: number, depth: number, t: TermBytes): void {
  if (hi - lo > SMALL_RANGE) {
    ids.subarray(lo, hi).sort((x, y) => compareFrom(t, x, y, depth));
    return;
  }
  for (let i = lo + 1; i < hi; i++) {
    const id = ids[i]!;
    let j = i - 1;
    while (j >= lo && compareFrom(t, ids[j]!, id, depth) > 0) {
      ids[j + 1] = ids[j]!;
      j--;
    }
    ids[j + 1] = id;
  }
}

/** Byte order of terms `x` and `y` from byte `depth` on (a prefix sorts first). */
function compareFrom(t: TermBytes, x: number, y: number, depth: number): number {
  const { arena, starts } = t;
  const xs = starts[x]! + depth;
  const xe = starts[x + 1]!;
  const ys = starts[y]! + depth;
  const ye = starts[y + 1]!;
  const n = Math.min(xe - xs, ye - ys);
  for (let i = 0; i < n; i++) {
    const d = arena[xs + i]! - arena[ys + i]!;
    if (d !== 0) return d;
  }
  return xe - xs - (ye - ys);
}
