/** Table tests of the rotation rules (projected size, record count, age, the u32 hard limit). */

import { expect, test } from "bun:test";
import { ageExceeded, HARD_LIMIT_BYTES, mustRotate, RECORD_OVERHEAD_BYTES, recordSize } from "./rotation.ts";
import { ENTRY_BYTES } from "./file/format.ts";

const off = { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0 };

test("the per-record overhead is the file entry size", () => {
  expect([RECORD_OVERHEAD_BYTES, recordSize(10, 1)]).toEqual([ENTRY_BYTES, 43]);
});

test("mustRotate", () => {
  const cases: { name: string; p: typeof off; a: [number, number, number, number, number, number]; want: boolean }[] = [
    { name: "all disabled", p: off, a: [5, 500, 400, 100, 10, 1], want: false },
    { name: "empty chunk never rotates", p: { ...off, maxRecords: 1, maxBytes: 1 }, a: [0, 0, 0, 0, 999, 1], want: false },
    { name: "records at limit", p: { ...off, maxRecords: 3 }, a: [3, 0, 0, 0, 1, 1], want: true },
    { name: "records below limit", p: { ...off, maxRecords: 3 }, a: [2, 0, 0, 0, 1, 1], want: false },
    { name: "projected bytes equal to max fits", p: { ...off, maxBytes: 86 }, a: [1, 43, 10, 1, 10, 1], want: false },
    { name: "projected bytes over max", p: { ...off, maxBytes: 85 }, a: [1, 43, 10, 1, 10, 1], want: true },
    { name: "raw hard limit with no policy", p: off, a: [1, 0, HARD_LIMIT_BYTES - 5, 0, 6, 1], want: true },
    { name: "raw exactly at hard limit fits", p: off, a: [1, 0, HARD_LIMIT_BYTES - 5, 0, 5, 1], want: false },
    { name: "attr hard limit", p: off, a: [1, 0, 0, HARD_LIMIT_BYTES, 0, 1], want: true },
  ];
  expect(cases.map((c) => ({ name: c.name, got: mustRotate(c.p, ...c.a) }))).toEqual(cases.map((c) => ({ name: c.name, got: c.want })));
});

test("ageExceeded is strict and disabled by zero", () => {
  const p = { ...off, maxAgeMicros: 100 };
  expect([ageExceeded(p, 1000, 1100), ageExceeded(p, 1000, 1101), ageExceeded(off, 1, 1e12), ageExceeded(p, 0, 1e12)]).toEqual([false, true, false, false]);
});
