/** The one duration grammar: accepted and rejected forms, canonical printing, round trips. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { durationError, formatDuration, parseDuration } from "./duration.ts";

const S = 1_000_000;

test.each<[string, number | undefined]>([
  ["0", 0],
  ["500ms", 500_000],
  ["30s", 30 * S],
  ["15m", 900 * S],
  ["2h", 7200 * S],
  ["7d", 7 * 86400 * S],
  ["1h30m", 5400 * S],
  ["1d12h", 36 * 3600 * S],
  ["2h0m", 7200 * S],
  ["0s", 0],
  ["250us", 250],
  ["250µs", 250],
  [" 90s ", 90 * S],
  ["", undefined],
  ["5", undefined],
  ["1.5s", undefined],
  ["-1s", undefined],
  ["+1s", undefined],
  ["h", undefined],
  ["5x", undefined],
  ["10 s", undefined],
  ["1w", undefined],
  ["100ns", undefined],
  ["999999999999d", undefined],
])("parseDuration(%p)", (text, micros) => {
  expect(parseDuration(text)).toBe(micros as number);
});

test("formatDuration prints the largest units first and drops zero parts", () => {
  expect([90 * S, 5400 * S, 7 * 86400 * S, 250_000, 0, 60 * S, 1_500_001].map(formatDuration)).toEqual(["1m30s", "1h30m", "7d", "250ms", "0", "1m", "1s500ms1us"]);
});

test("property: format then parse is the identity", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (micros) => parseDuration(formatDuration(micros)) === micros));
});

test("one message for every bad duration", () => {
  expect(durationError("flag --shutdown-timeout", "soon")).toBe("invalid flag --shutdown-timeout 'soon': expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m");
});
