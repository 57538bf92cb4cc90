/** The varint codec: round trips over the whole safe range, sizes, and rejected encodings. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readVarint, readVarintsInto, skipVarints, varintSize, writeVarint } from "./varint.ts";

describe("varint", () => {
  test("property: write then read is the identity, and the size is what was written", () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat(), { maxLength: 20 }), (values) => {
        const buf = new Uint8Array(values.length * 8);
        let off = 0;
        for (const v of values) {
          const next = writeVarint(buf, off, v);
          expect(next - off).toBe(varintSize(v));
          off = next;
        }
        const cur = { pos: 0 };
        expect(values.map(() => readVarint(buf, cur, off))).toEqual(values);
        expect(cur.pos).toBe(off);
      }),
    );
  });

  test("property: readVarintsInto and skipVarints agree with readVarint on a run of values", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(127), fc.nat(20_000), fc.maxSafeNat()), { maxLength: 20 }), fc.nat(3), (values, lead) => {
        const buf = new Uint8Array(lead + values.length * 8 + 1);
        let off = lead;
        for (const v of values) off = writeVarint(buf, off, v);
        const out = new Float64Array(values.length);
        expect(readVarintsInto(buf, lead, off, out)).toBe(off);
        expect(Array.from(out)).toEqual(values);
        expect(skipVarints(buf, lead, off, values.length)).toBe(off);
        if (values.length > 0) {
          expect(() => readVarintsInto(buf, lead, off - 1, out)).toThrow(RangeError);
          expect(() => skipVarints(buf, lead, off - 1, values.length)).toThrow(RangeError);
        }
      }),
    );
  });

  test("skipVarints rejects an over-long encoding as readVarint does", () => {
    const bytes = Uint8Array.from([0x05, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => skipVarints(bytes, 0, bytes.length, 2)).toThrow(new RangeError("varint longer than 8 bytes at offset 1"));
  });

  test.each([
    { name: "empty input", bytes: [], end: 0, max: 8, error: "truncated varint at offset 0" },
    { name: "continuation at the end", bytes: [0x80], end: 1, max: 8, error: "truncated varint at offset 1" },
    { name: "end before the buffer's end", bytes: [0x80, 0x01], end: 1, max: 8, error: "truncated varint at offset 1" },
    { name: "nine bytes", bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], end: 9, max: 8, error: "varint longer than 8 bytes at offset 0" },
    { name: "six bytes where five are allowed", bytes: [0xff, 0xff, 0xff, 0xff, 0x8f, 0x01], end: 6, max: 5, error: "varint longer than 5 bytes at offset 0" },
  ])("rejects $name", ({ bytes, end, max, error }) => {
    expect(() => readVarint(Uint8Array.from(bytes), { pos: 0 }, end, max)).toThrow(new RangeError(error));
  });

  test.each([
    [0, [0x00]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
  ])("%d encodes as %j", (v, bytes) => {
    const buf = new Uint8Array(8);
    expect([...buf.subarray(0, writeVarint(buf, 0, v))]).toEqual(bytes);
  });
});
