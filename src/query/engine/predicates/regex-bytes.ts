/**
 * A native regex's atoms (regex-fast.ts) matched on a record's bytes instead of a string made
 * for it (a string per candidate record cost more than the match). Starts are tried
 * Horspool-style over the pattern's leading single-byte atoms (the window's last byte says how
 * far the next possible start is); from a start whose leading atoms match, every later atom
 * takes as many bytes as it can (up to its maximum) and must reach its minimum. Greedy without
 * backtracking is exact for these patterns: giving back a repeated byte never helps (see
 * regex-fast.ts's header). No byte at or above 0x80 is in any atom.
 */

import type { Atom } from "./regex-fast.ts";

/** Whether the atoms match somewhere in bytes[start, end). */
export type BytesMatcher = (bytes: Uint8Array, start: number, end: number) => boolean;

/** The matcher for `atoms` (a linear pattern whose first atom is unquantified). */
export function bytesMatcherOf(atoms: readonly Atom[]): BytesMatcher {
  const n = atoms.length;
  const member = new Uint8Array(n * 256);
  const mins = new Int32Array(n);
  const maxs = new Int32Array(n);
  atoms.forEach((a, k) => {
    for (let c = 0; c < 128; c++) if ((a.set[c >> 5]! >>> (c & 31)) & 1) member[k * 256 + c] = 1;
    mins[k] = a.min;
    maxs[k] = a.max;
  });
  let fixed = 1; // leading atoms matching exactly one byte (the first always does)
  while (fixed < n && atoms[fixed]!.quantifier === "") fixed++;
  const shift = new Int32Array(256).fill(fixed);
  for (let j = 0; j < fixed - 1; j++) for (let c = 0; c < 128; c++) if (member[j * 256 + c] === 1) shift[c] = fixed - 1 - j;
  const lastRow = (fixed - 1) * 256;
  return (bytes, start, end) => {
    for (let s = start; s + fixed <= end; ) {
      const last = bytes[s + fixed - 1]!;
      if (member[lastRow + last] === 1) {
        let j = fixed - 2;
        while (j >= 0 && member[j * 256 + bytes[s + j]!] === 1) j--;
        if (j < 0 && restMatches(bytes, s + fixed, end)) return true;
      }
      s += shift[last]!;
    }
    return false;
  };

  /** True when atoms[fixed..] match greedily from p within end. */
  function restMatches(bytes: Uint8Array, p: number, end: number): boolean {
    for (let k = fixed; k < n; k++) {
      const row = k * 256;
      const max = maxs[k]!;
      let got = 0;
      while (got < max && p < end && member[row + bytes[p]!] === 1) {
        got++;
        p++;
      }
      if (got < mins[k]!) return false;
    }
    return true;
  }
}
