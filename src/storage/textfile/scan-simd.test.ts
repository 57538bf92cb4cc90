/** The SIMD scan helpers against plain loops: counts, n-th newlines and ASCII folding over random bytes, any bounds. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { ASCII_LOWER } from "../../core/ascii.ts";
import { countNewlines, ensure, foldAscii, nthNewline } from "./scan-simd.ts";

/** Plain-loop answers over bytes [from, to): the count and the k-th newline's offset (-1 when fewer). */
function reference(b: Uint8Array, from: number, to: number, k: number): [number, number] {
  let n = 0;
  let kth = -1;
  for (let i = from; i < to; i++) {
    if (b[i] !== 10) continue;
    n++;
    if (n === k) kth = i;
  }
  return [n, kth];
}

test("count and n-th newline equal a plain loop for random bytes and bounds", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), fc.integer({ min: 1, max: 40 }), fc.boolean(), (raw, x, y, k, dense) => {
      const bytes = dense ? raw.map((v) => (v % 3 === 0 ? 10 : v)) : raw;
      const [from, to] = [Math.min(x, y, bytes.length), Math.min(Math.max(x, y), bytes.length)];
      const scratch = ensure(bytes.length);
      scratch.set(bytes);
      expect([countNewlines(from, to), nthNewline(from, to, k)]).toEqual(reference(bytes, from, to, k));
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
  expect([countNewlines(0, size), nthNewline(0, size, 700)]).toEqual(want);
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
