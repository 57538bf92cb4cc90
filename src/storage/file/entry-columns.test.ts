/**
 * EntryColumns.view: reads the same entries as a copy, without copying, and refuses misaligned
 * regions. EntryColumns.load and EntryWindow: read an entries file as the in-memory columns do.
 */

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EntryColumns, EntryWindow } from "./entry-columns.ts";
import { encodeHeader, ENTRY_BYTES, ENTRY_F64, ENTRY_U32 } from "./format.ts";
import { tempDir } from "./test-helpers.ts";

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

describe("entries read from a file", () => {
  const n = 50;
  const fields = (c: EntryColumns, p: number) => [c.writeTs(p), c.ingestTs(p), c.sourceTs(p), c.rawStart(p), c.rawEnd(p), c.attrStart(p), c.attrEnd(p)];

  function entriesFile(dir: string): { path: string; memory: EntryColumns } {
    const path = join(dir, "entries");
    const body = entries(n);
    const head = encodeHeader("entries", 123);
    const file = new Uint8Array(head.length + body.length + ENTRY_BYTES);
    file.set(head);
    file.set(body, head.length); // one more (uncommitted) zero entry past the n
    writeFileSync(path, file);
    return { path, memory: EntryColumns.fromBytes(body, n) };
  }

  test("load reads the first `records` entries", () => {
    using tmp = tempDir();
    const { path, memory } = entriesFile(tmp.path);
    expect(read(EntryColumns.load(path, n), n)).toEqual(read(memory, n));
  });

  test("every span of a window, in any order, reads what the whole columns read", () => {
    using tmp = tempDir();
    const { path, memory } = entriesFile(tmp.path);
    const w = new EntryWindow(path, n);
    const got: number[][] = [];
    const want: number[][] = [];
    for (const [from, to] of [[0, 1], [0, n], [7, 19], [1, 2], [n - 1, n], [3, 40], [0, 5]] as const) {
      const { cols, shift } = w.read(from, to);
      for (let p = from; p < to; p++) {
        got.push([p, ...fields(cols, p - shift)]);
        want.push([p, ...fields(memory, p)]);
      }
    }
    w.close();
    expect(got).toEqual(want);
  });

  test("a span past the committed entries is refused", () => {
    using tmp = tempDir();
    const { path } = entriesFile(tmp.path);
    const w = new EntryWindow(path, n);
    expect(() => w.read(n - 2, n + 1)).toThrow(RangeError);
    w.close();
  });
});
