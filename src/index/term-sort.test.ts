/** term-sort.ts against a plain byte-order sort: prefixes, NUL and high bytes, long shared prefixes, large ranges. */

import { describe, expect, test } from "bun:test";
import { sortIdsByBytes } from "./term-sort.ts";

/** Terms packed like a TermTable's arena. */
function arenaOf(terms: Uint8Array[]) {
  const starts = new Uint32Array(terms.length + 1);
  for (let i = 0; i < terms.length; i++) starts[i + 1] = starts[i]! + terms[i]!.length;
  const arena = new Uint8Array(starts[terms.length]!);
  terms.forEach((t, i) => arena.set(t, starts[i]!));
  return { arena, starts };
}

function byteOrder(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkSorted(terms: Uint8Array[]): void {
  const ids = Uint32Array.from(terms.keys());
  sortIdsByBytes(ids, arenaOf(terms));
  const want = [...terms.keys()].sort((x, y) => byteOrder(terms[x]!, terms[y]!));
  expect(Array.from(ids)).toEqual(want);
}

/** Distinct random terms over `alphabet` with lengths up to `maxLen` (seeded LCG). */
function randomTerms(count: number, alphabet: number[], maxLen: number, prefix: number[] = [], seed = 1): Uint8Array[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  while (out.length < count) {
    const len = Math.floor(next() * (maxLen + 1));
    const t = Uint8Array.from([...prefix, ...Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]!)]);
    const k = t.join(",");
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

describe("sortIdsByBytes", () => {
  test("prefixes sort first, NUL and 0xff bytes order as unsigned bytes", () => {
    const terms = [[], [0], [0, 0], [1], [255], [255, 0], [97, 98], [97], [97, 98, 99], [97, 98, 99, 0], [97, 98, 99, 100], [97, 98, 0], [255, 255, 255, 255]].map((a) => Uint8Array.from(a));
    checkSorted(terms);
  });

  test("many terms over a small alphabet (deep ties) and over all bytes", () => {
    checkSorted(randomTerms(5000, [0, 1, 2, 255], 12));
    checkSorted(randomTerms(5000, Array.from({ length: 256 }, (_, i) => i), 6, [], 7));
  });

  test("long shared prefixes recurse past many digit groups", () => {
    checkSorted(randomTerms(3000, [48, 49], 14, Array.from("request-id-0000", (c) => c.charCodeAt(0)), 3));
  });
});
