/** TextCache: the same text as utf8Text for any bytes, hits return the same string, and slot collisions never mix texts up. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { TextCache } from "./text-cache.ts";
import { utf8Text } from "./utf8.ts";

test("decodes like utf8Text, whatever was cached before (collisions, invalid UTF-8, long texts)", () => {
  const cache = new TextCache();
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 50 }), (texts) => {
      for (const b of [...texts, ...texts.reverse()]) expect(cache.text(b, 0, b.length)).toBe(utf8Text(b, 0, b.length));
    }),
    { numRuns: 2000 },
  );
});

test("reads a range inside a larger buffer and returns the cached string on a hit", () => {
  const cache = new TextCache();
  const b = new TextEncoder().encode("xxhttp.methodyyhttp.method");
  const first = cache.text(b, 2, 13);
  expect(first).toBe("http.method");
  expect(cache.text(b, 15, 26)).toBe(first);
  expect(cache.text(b, 2, 12)).toBe("http.metho");
});
