/** Size and duration parsing: table cases, rejections and format/parse round trips. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { formatDuration, formatSize, parseDuration, parseSize } from "./units.ts";

test("sizes", () => {
  const inputs: (string | number)[] = ["64MB", "64mb", "512 KB", "1GB", "2tb", "10B", "4096", 0, 12345, "0", "1.5GB", "-1", "MB", "12XB", -3, 1.5, ""];
  expect(inputs.map(parseSize)).toEqual([64 << 20, 64 << 20, 512 << 10, 1 << 30, 2 * 1024 ** 4, 10, 4096, 0, 12345, 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  expect([0, 1024, 64 << 20, 1000, 3 * 1024 ** 3, 1536].map(formatSize)).toEqual(["0", "1KB", "64MB", "1000", "3GB", "1536"]);
});

test("durations", () => {
  const inputs = ["90s", "1h30m", "7d", "250ms", "0", "2h0m", "1d12h", "15us", "", "1.5h", "h", "5x", "10 s", "-1s", "0s"];
  const S = 1_000_000;
  expect(inputs.map(parseDuration)).toEqual([90 * S, 5400 * S, 7 * 86400 * S, 250_000, 0, 7200 * S, 36 * 3600 * S, 15, undefined, undefined, undefined, undefined, undefined, undefined, 0]);
  expect([90 * S, 5400 * S, 7 * 86400 * S, 250_000, 0, 60 * S, 1_500_001].map(formatDuration)).toEqual(["1m30s", "1h30m", "7d", "250ms", "0", "1m", "1s500ms1us"]);
});

test("property: format then parse is the identity", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 0, max: 2 ** 50 }), (bytes, micros) => {
      expect(parseSize(formatSize(bytes))).toBe(bytes);
      expect(parseDuration(formatDuration(micros))).toBe(micros);
    }),
    { numRuns: 300 },
  );
});
