import { expect, test } from "bun:test";
import fc from "fast-check";
import { formatRfc3339Micros } from "./time.ts";

/** The obvious implementation: Date's milliseconds, then the remaining three digits. */
function viaDate(us: number): string {
  const rest = ((us % 1000) + 1000) % 1000;
  return new Date((us - rest) / 1000).toISOString().replace("Z", `${String(rest).padStart(3, "0")}Z`);
}

test.each([
  [0, "1970-01-01T00:00:00.000000Z"],
  [1_740_823_200_123_456, "2025-03-01T10:00:00.123456Z"],
  [951_782_400_000_000, "2000-02-29T00:00:00.000000Z"],
  [-1, "1969-12-31T23:59:59.999999Z"],
  [Number.MAX_SAFE_INTEGER, "2255-06-05T23:47:34.740991Z"],
  [Number.MIN_SAFE_INTEGER, "1684-07-28T00:12:25.259009Z"],
])("formatRfc3339Micros(%p) = %p", (us, text) => {
  expect(formatRfc3339Micros(us)).toBe(text);
});

test("formatRfc3339Micros agrees with Date over the whole µs range", () => {
  fc.assert(
    fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (us) => {
      expect(formatRfc3339Micros(us)).toBe(viaDate(us));
    }),
    { numRuns: 2_000 },
  );
});
