/** The SIMD scan helpers against plain loops: counts, the walk to the n-th newline (folding on the way) and ASCII folding over random bytes, any bounds. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { ASCII_LOWER } from "../../core/ascii.ts";
import { countNewlines, ensure, foldAscii, scanLines } from "./scan-simd.ts";

/** Plain-loop answers over bytes [from, to): the count, and what scanLines returns for `k` (just after the k-th newline, else -1 - count). */
function reference(b: Uint8Array, from: number, to: number, k: number): [number, number] {
  let n = 0;
  let after = -1;
  for (let i = from; i < to; i++) {
    if (b[i] !== 10) continue;
    n++;
    if (n === k) after = i + 1;
  }
  return [n, after >= 0 ? after : -1 - n];
}

test("count and the walk to the k-th newline equal a plain loop for random bytes and bounds; the walk folds what it passes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), (raw, x, y, k, dense, fold) => {
      const bytes = dense ? raw.map((v) => (v % 3 === 0 ? 10 : v)) : raw;
      const [from, to] = [Math.min(x, y, bytes.length), Math.min(Math.max(x, y), bytes.length)];
      const scratch = ensure(bytes.length);
      scratch.set(bytes);
      const [count, walked] = reference(bytes, from, to, k);
      expect([countNewlines(from, to), scanLines(from, to, k, fold)]).toEqual([count, walked]);
      // Folded: at least every byte up to where the walk stopped, at most 15 past it, nothing outside [from, to).
      const stop = walked >= 0 ? walked : to;
      for (let i = 0; i < bytes.length; i++) {
        const lower = ASCII_LOWER[bytes[i]!]!;
        if (!fold || i < from || i >= to) expect(scratch[i]).toBe(bytes[i]!);
        else if (i < stop) expect(scratch[i]).toBe(lower);
        else if (i >= stop + 15) expect(scratch[i]).toBe(bytes[i]!);
        else expect([bytes[i], lower]).toContain(scratch[i]!);
      }
    }),
    { numRuns: 500 },
  );
});

test("the scratch buffer grows past its first page and keeps counting there", () => {
  const size = 3 << 20;
  const scratch = ensure(size);
  expect(scratch.length).toBeGreaterThanOrEqual(size);
  scratch.fill(0x61, 0, size);
  for (let i = 17; i < size; i += 4099) scratch[i] = 10;
  const want = reference(scratch, 0, size, 700);
  expect([countNewlines(0, size), scanLines(0, size, 700, false)]).toEqual(want);
  expect(scanLines(0, size, 1_000_000, false)).toBe(-1 - want[0]);
});

test("folding lowercases A-Z in the bounds only, like ASCII_LOWER", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), (bytes, x, y) => {
      const [from, to] = [Math.min(x, y, bytes.length), Math.min(Math.max(x, y), bytes.length)];
      const scratch = ensure(bytes.length);
      scratch.set(bytes);
      foldAscii(from, to);
      const want = bytes.map((b, i) => (i >= from && i < to ? ASCII_LOWER[b]! : b));
      expect(Array.from(scratch.subarray(0, bytes.length))).toEqual(Array.from(want));
    }),
    { numRuns: 500 },
  );
});
