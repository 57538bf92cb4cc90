/** Timestamp column codec: property round trips over every mode, and rejection of bad input. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ByteWriter } from "../../core/bytes/growable.ts";
import { decodeTsColumn, encodeTsColumn, MAX_ZIGZAG_TS, MODE_BASE, MODE_DELTA, MODE_REF, MODE_SCALES, MODE_ZIGZAG } from "./ts-column.ts";
import { tsArb } from "./test-support.ts";

function roundTrip(values: number[], ref?: number[]): { mode: number; decoded: number[]; consumed: boolean } {
  const w = new ByteWriter(16);
  encodeTsColumn(values, values.length, w, ref);
  const buf = w.finish();
  const out = new Float64Array(values.length);
  const end = decodeTsColumn(buf, 0, buf.length, out, ref === undefined ? undefined : Float64Array.from(ref));
  return { mode: buf[0]!, decoded: [...out], consumed: end === buf.length };
}

describe("timestamp column", () => {
  const cases: { name: string; values: number[]; ref?: number[]; mode: number }[] = [
    { name: "empty", values: [], ref: undefined, mode: MODE_DELTA + 2 * MODE_SCALES },
    { name: "non-decreasing", values: [5, 5, 9, 1_700_000_000_000_000], ref: undefined, mode: MODE_DELTA },
    { name: "jittery small", values: [100, 90, 120, 80], ref: undefined, mode: MODE_ZIGZAG },
    { name: "beyond zigzag range", values: [Number.MAX_SAFE_INTEGER, 0, MAX_ZIGZAG_TS + 1], ref: undefined, mode: MODE_BASE },
    { name: "close to reference", values: [1_000_007, 999_000, 1_500_002], ref: [1_000_010, 999_001, 1_500_005], mode: MODE_REF },
    { name: "millisecond times", values: [1_709_251_200_123_000, 1_709_251_200_456_000, 1_709_251_201_000_000], ref: undefined, mode: MODE_DELTA + MODE_SCALES },
    { name: "second times, jittery", values: [1_709_251_260_000_000, 1_709_251_200_000_000, 1_709_251_320_000_000], ref: undefined, mode: MODE_ZIGZAG + 2 * MODE_SCALES },
    { name: "millisecond offsets from the reference", values: [5_000, 900_000, 1_000], ref: [6_000, 901_000, 3_000], mode: MODE_REF + MODE_SCALES },
    { name: "second offsets above the minimum", values: [Number.MAX_SAFE_INTEGER - 2_000_000, 0, MAX_ZIGZAG_TS + 1_000_000].map((v) => v - (v % 1_000_000)), ref: undefined, mode: MODE_BASE + 2 * MODE_SCALES },
  ];
  test.each(cases)("$name picks mode $mode and round-trips", ({ values, ref, mode }) => {
    expect(roundTrip(values, ref)).toEqual({ mode, decoded: values, consumed: true });
  });

  test("property: any safe non-negative values round-trip, with or without a reference", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(tsArb, tsArb), { maxLength: 40 }), (pairs) => {
        const values = pairs.map((p) => p[0]);
        const ref = pairs.map((p) => p[1]);
        expect(roundTrip(values).decoded).toEqual(values);
        expect(roundTrip(values, ref).decoded).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  test("scaling shrinks a millisecond column's varints", () => {
    const values = Array.from({ length: 100 }, (_, i) => 1_709_251_200_000_000 + i * 7_000);
    const w = new ByteWriter(16);
    encodeTsColumn(values, values.length, w);
    // base (8 bytes) + 100 one-byte deltas of 7 (ms), not 7000 (µs, two bytes each)
    expect({ mode: w.finish()[0], bytes: w.length }).toEqual({ mode: MODE_DELTA + MODE_SCALES, bytes: 1 + 8 + 100 });
  });

  test("an unscaled column (as segments written before scaling hold) still decodes", () => {
    // mode 0, base 1000, deltas 2000 and 0 in µs, unscaled although they are whole milliseconds
    const old = Uint8Array.from([MODE_DELTA, 0xe8, 0x07, 0xd0, 0x0f, 0x00]);
    const out = new Float64Array(2);
    expect({ end: decodeTsColumn(old, 0, old.length, out), values: [...out] }).toEqual({ end: old.length, values: [3000, 3000] });
  });

  test.each([
    { name: "unknown mode", bytes: [MODE_SCALES * 3, 0, 0] },
    { name: "reference mode without reference", bytes: [MODE_REF, 0, 0] },
    { name: "truncated varint", bytes: [MODE_DELTA, 0x80] },
    { name: "missing values", bytes: [MODE_DELTA, 0] },
  ])("rejects $name", ({ bytes }) => {
    expect(() => decodeTsColumn(Uint8Array.from(bytes), 0, bytes.length, new Float64Array(1))).toThrow(RangeError);
  });
});
