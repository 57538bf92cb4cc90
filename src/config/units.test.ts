/** Size parsing: table cases, rejections and format/parse round trips. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { formatSize, parseSize } from "./units.ts";

test("sizes", () => {
  const inputs: (string | number)[] = ["64MB", "64mb", "512 KB", "1GB", "2tb", "10B", "4096", 0, 12345, "0", "1.5GB", "-1", "MB", "12XB", -3, 1.5, ""];
  expect(inputs.map(parseSize)).toEqual([64 << 20, 64 << 20, 512 << 10, 1 << 30, 2 * 1024 ** 4, 10, 4096, 0, 12345, 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  expect([0, 1024, 64 << 20, 1000, 3 * 1024 ** 3, 1536].map(formatSize)).toEqual(["0", "1KB", "64MB", "1000", "3GB", "1536"]);
});

test("property: format then parse is the identity", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (bytes) => {
      expect(parseSize(formatSize(bytes))).toBe(bytes);
    }),
    { numRuns: 300 },
  );
});
