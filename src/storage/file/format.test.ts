/** Property and table tests of the active-chunk header codec and entry validation. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { CorruptError } from "../../core/errors.ts";
import { decodeHeader, encodeHeader, ENTRY_F64, ENTRY_U32, HEADER_BYTES, validEntryPrefix, type FileKind } from "./format.ts";

const kinds: FileKind[] = ["entries", "raw", "attrs"];

test("header round-trips createdAt for every kind", () => {
  fc.assert(
    fc.property(fc.constantFrom(...kinds), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (kind, createdAt) => {
      const h = encodeHeader(kind, createdAt);
      expect([h.length, decodeHeader("f", h, kind)]).toEqual([HEADER_BYTES, createdAt]);
    }),
    { numRuns: 200 },
  );
});

test("header rejects damage with path and offset", () => {
  const good = encodeHeader("raw", 123);
  const mutate = (i: number, v: number) => {
    const b = good.slice();
    b[i] = v;
    return b;
  };
  const cases: { name: string; bytes: Uint8Array; kind: FileKind; offset: number }[] = [
    { name: "short", bytes: good.subarray(0, 10), kind: "raw", offset: 10 },
    { name: "magic", bytes: mutate(1, 0x41), kind: "raw", offset: 1 },
    { name: "wrong kind", bytes: good, kind: "attrs", offset: 4 },
    { name: "unknown version", bytes: mutate(5, 2), kind: "raw", offset: 5 },
  ];
  const got = cases.map((c) => {
    try {
      decodeHeader("/x/raw", c.bytes, c.kind);
      return { name: c.name, offset: -1 };
    } catch (err) {
      return { name: c.name, offset: err instanceof CorruptError ? err.offset : -2 };
    }
  });
  expect(got).toEqual(cases.map((c) => ({ name: c.name, offset: c.offset })));
});

function columns(rows: [number, number, number, number, number][]): { f64: Float64Array; u32: Uint32Array } {
  const buf = new ArrayBuffer((rows.length + 1) * ENTRY_F64 * 8);
  const c = { f64: new Float64Array(buf), u32: new Uint32Array(buf) };
  rows.forEach(([w, ing, src, rawEnd, attrEnd], i) => {
    c.f64.set([w, ing, src], i * ENTRY_F64);
    c.u32[i * ENTRY_U32 + 6] = rawEnd;
    c.u32[i * ENTRY_U32 + 7] = attrEnd;
  });
  return c;
}

test("validEntryPrefix stops at the first inconsistent entry", () => {
  const ok: [number, number, number, number, number] = [10, 5, 0, 4, 1];
  const cases: { name: string; rows: [number, number, number, number, number][]; raw: number; attr: number; want: number }[] = [
    { name: "all valid", rows: [ok, [10, 6, 7, 9, 2], [11, 6, 0, 9, 3]], raw: 9, attr: 3, want: 3 },
    { name: "zeroed tail", rows: [ok, [0, 0, 0, 0, 0]], raw: 9, attr: 3, want: 1 },
    { name: "raw beyond file", rows: [ok, [10, 6, 0, 10, 2]], raw: 9, attr: 3, want: 1 },
    { name: "attrs beyond file", rows: [ok, [10, 6, 0, 9, 4]], raw: 9, attr: 3, want: 1 },
    { name: "writeTs goes back", rows: [ok, [9, 6, 0, 9, 2]], raw: 9, attr: 3, want: 1 },
    { name: "fractional ts", rows: [[1.5, 1, 0, 1, 1]], raw: 9, attr: 3, want: 0 },
  ];
  const got = cases.map((c) => {
    const col = columns(c.rows);
    return { name: c.name, n: validEntryPrefix(col.f64, col.u32, c.rows.length, c.raw, c.attr) };
  });
  expect(got).toEqual(cases.map((c) => ({ name: c.name, n: c.want })));
});
