/** EntryColumns.view: reads the same entries as a copy, without copying, and refuses misaligned regions. */

import { describe, expect, test } from "bun:test";
import { EntryColumns } from "./entry-columns.ts";
import { ENTRY_BYTES, ENTRY_F64, ENTRY_U32 } from "./format.ts";

function entries(n: number): Uint8Array {
  const c = new EntryColumns(n);
  for (let i = 0; i < n; i++) {
    c.f64[i * ENTRY_F64] = 1_000 + i;
    c.f64[i * ENTRY_F64 + 1] = 2_000 + i;
    c.f64[i * ENTRY_F64 + 2] = 3_000 + i;
    c.u32[i * ENTRY_U32 + 6] = 10 * (i + 1);
    c.u32[i * ENTRY_U32 + 7] = 5 * (i + 1);
  }
  return c.range(0, n).slice();
}

const read = (c: EntryColumns, n: number) =>
  Array.from({ length: n }, (_, i) => [c.writeTs(i), c.ingestTs(i), c.sourceTs(i), c.rawStart(i), c.rawEnd(i), c.attrStart(i), c.attrEnd(i)]);

describe("EntryColumns.view", () => {
  test("reads what a copy reads and shares the bytes", () => {
    const file = new Uint8Array(16 + 3 * ENTRY_BYTES);
    file.set(entries(3), 16);
    const region = file.subarray(16);
    const view = EntryColumns.view(region);
    expect({ entries: read(view, 3), shared: view.range(0, 3).buffer === file.buffer }).toEqual({ entries: read(EntryColumns.fromBytes(region, 3), 3), shared: true });
  });

  test.each([
    { name: "misaligned start", region: new Uint8Array(8 + ENTRY_BYTES).subarray(4, 4 + ENTRY_BYTES) },
    { name: "partial entry", region: new Uint8Array(ENTRY_BYTES + 8) },
  ])("refuses a $name", ({ region }) => {
    expect(() => EntryColumns.view(region)).toThrow(RangeError);
  });
});
