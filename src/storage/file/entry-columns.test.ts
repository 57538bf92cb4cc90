/**
 * EntryColumns: entries set one at a time across pages read back as written, and their byte
 * ranges are the file's bytes. EntryColumns.view: reads the same entries as a copy, without
 * copying, and refuses misaligned regions. EntryColumns.load and EntryWindow: read an entries
 * file as the in-memory columns do.
 */

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EntryColumns, EntryWindow, PAGE_ENTRIES } from "./entry-columns.ts";
import { encodeHeader, ENTRY_BYTES, ENTRY_F64, ENTRY_U32 } from "./format.ts";
import { tempDir } from "./test-helpers.ts";

function entries(n: number): Uint8Array {
  const buf = new ArrayBuffer(n * ENTRY_BYTES);
  const f64 = new Float64Array(buf);
  const u32 = new Uint32Array(buf);
  for (let i = 0; i < n; i++) {
    f64[i * ENTRY_F64] = 1_000 + i;
    f64[i * ENTRY_F64 + 1] = 2_000 + i;
    f64[i * ENTRY_F64 + 2] = 3_000 + i;
    u32[i * ENTRY_U32 + 6] = 10 * (i + 1);
    u32[i * ENTRY_U32 + 7] = 5 * (i + 1);
  }
  return new Uint8Array(buf);
}

const read = (c: EntryColumns, n: number) =>
  Array.from({ length: n }, (_, i) => [c.writeTs(i), c.ingestTs(i), c.sourceTs(i), c.rawStart(i), c.rawEnd(i), c.attrStart(i), c.attrEnd(i)]);

describe("EntryColumns across pages", () => {
  const n = 2 * PAGE_ENTRIES + 100;
  const region = entries(n);
  const grown = new EntryColumns();
  const want = EntryColumns.view(region);
  for (let i = 0; i < n; i++) {
    grown.ensure(i + 1);
    grown.set(i, want.writeTs(i), want.ingestTs(i), want.sourceTs(i), want.rawEnd(i), want.attrEnd(i));
  }
  // Around each page boundary, and the ends.
  const probes = [0, 1, 1023, 1024, PAGE_ENTRIES - 1, PAGE_ENTRIES, PAGE_ENTRIES + 1, 2 * PAGE_ENTRIES - 1, 2 * PAGE_ENTRIES, n - 1];
  const at = (c: EntryColumns) => probes.map((i) => [i, c.writeTs(i), c.ingestTs(i), c.sourceTs(i), c.rawStart(i), c.rawEnd(i), c.attrStart(i), c.attrEnd(i)]);

  test("entries set one at a time read back as written, from a copy and from a view", () => {
    expect({ grown: at(grown), copy: at(EntryColumns.fromBytes(region, n)) }).toEqual({ grown: at(want), copy: at(want) });
    expect(grown.lowerBoundWriteTs(n, 1_000 + PAGE_ENTRIES + 3)).toBe(PAGE_ENTRIES + 3);
  });

  test("the byte ranges of entries spanning pages are the region's bytes", () => {
    for (const [from, to] of [[0, n], [PAGE_ENTRIES - 5, 2 * PAGE_ENTRIES + 7], [3, 9], [PAGE_ENTRIES, PAGE_ENTRIES]] as const) {
      const parts = grown.ranges(from, to);
      expect({ from, to, bytes: Buffer.concat(parts).equals(region.subarray(from * ENTRY_BYTES, to * ENTRY_BYTES)), parts: parts.length }).toEqual({
        from,
        to,
        bytes: true,
        parts: to === from ? 0 : Math.floor((to - 1) / PAGE_ENTRIES) - Math.floor(from / PAGE_ENTRIES) + 1,
      });
    }
  });
});

describe("EntryColumns.view", () => {
  test("reads what a copy reads and shares the bytes", () => {
    const file = new Uint8Array(16 + 3 * ENTRY_BYTES);
    file.set(entries(3), 16);
    const region = file.subarray(16);
    const view = EntryColumns.view(region);
    expect({ entries: read(view, 3), shared: view.ranges(0, 3)[0]!.buffer === file.buffer }).toEqual({ entries: read(EntryColumns.fromBytes(region, 3), 3), shared: true });
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
