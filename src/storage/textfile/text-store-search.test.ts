/** Text file store byte search: positions against the line model, hits read alone, density give-ups, remembered hit lines. */

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import { tempDir } from "../file/test-helpers.ts";
import type { ByteSearch, ChunkStore } from "../types.ts";
import { MAX_NOTED_HITS } from "./region.ts";
import { enc, latin1, model, open, readAll, write, type Rec } from "./text-store-test-support.ts";

describe("text file store byte search", () => {
  /** Per chunk: the records (model order) whose kept bytes hold `needle` (A-Z lowercased first when folding). */
  function expected(all: Rec[], counts: number[], needle: string, fold = false): number[][] {
    let at = 0;
    return counts.map((n) => {
      const hits: number[] = [];
      for (let i = 0; i < n; i++) if ((fold ? all[at + i]!.raw.replace(/[A-Z]+/g, (x) => x.toLowerCase()) : all[at + i]!.raw).includes(needle)) hits.push(i);
      at += n;
      return hits;
    });
  }

  /** positionsContaining per chunk, a fresh reader each. */
  function search(s: ChunkStore, needle: string, o: ByteSearch = {}): (number[] | undefined)[] {
    return s.chunks().map((m) => {
      const found = s.open(m.id).positionsContaining!(enc(needle), o);
      return found && [...found];
    });
  }

  test("a search of the file (counting it), a second one and one of the loaded region agree with the model", () => {
    using d = tempDir("gl-text-");
    const alphabet = fc.constantFrom("a", "A", "1", "2", " ", "\n", "\n", "\r", "\u0000", "\u00e9", "\u00c9");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom("a", "1 a", "a\r", "2\u00e9", "aa"), fc.boolean(), (chars, regionBytes, needle, foldCase) => {
        const bytes = enc(chars.join(""));
        const path = write(d.path, "p.log", bytes);
        const all = model([{ name: "p.log", bytes }]);
        const s = open([path], { regionBytes });
        const first = search(s, needle, { foldCase });
        const counts = s.chunks().map((m) => s.open(m.id).count());
        const want = expected(all, counts, needle, foldCase);
        expect([first, search(s, needle, { foldCase })]).toEqual([want, want]);
        expect(readAll(s)).toEqual(all);
        const loaded = open([path], { regionBytes });
        readAll(loaded);
        expect(search(loaded, needle, { foldCase })).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  test("many blocks: hits map to their records, are read alone (long and CRLF lines too) and inherit timestamps across blocks and regions", () => {
    using d = tempDir("gl-text-");
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 5000 === 7 ? `${i + 1} t` : i % 997 === 0 ? `c${i} needle\r` : `c${i} x`));
    lines[20_000] = `needle ${"y".repeat(MAX_RAW_BYTES + 3)} needle`;
    lines[25_000] = `${"z".repeat(MAX_RAW_BYTES)} needle`;
    const content = lines.join("\n") + "\n";
    const path = write(d.path, "m.log", content);
    const all = model([{ name: "m.log", bytes: enc(content) }]);
    for (const regionBytes of [120_000, 1 << 30]) {
      const s = open([path], { regionBytes });
      const positions = search(s, "needle");
      const counts = s.chunks().map((m) => s.open(m.id).count());
      expect(positions).toEqual(expected(all, counts, "needle"));
      expect(expected(all, counts, " needle").flat().length).toBeGreaterThan(20);
      // Each hit's record and batch, read alone where the search found its line.
      let at = 0;
      s.chunks().forEach((m, k) => {
        const r = s.open(m.id);
        for (const p of positions[k]!) {
          const rec = r.record(p);
          const batch = [...r.batches(p, p + 1)][0]!;
          const want = all[at + p]!;
          expect([latin1.decode(rec.raw), { ...rec.attrs }, rec.sourceTs, batch.sourceTs[0]]).toEqual([want.raw, want.attrs, want.sourceTs, want.sourceTs]);
        }
        at += counts[k]!;
      });
      expect(readAll(s)).toEqual(all);
      expect(search(s, "needle")).toEqual(positions);
    }
  });

  test("a block or a hit's line read alone after the file changed fails instead of returning other lines", () => {
    using d = tempDir("gl-text-");
    const lines = Array.from({ length: 9000 }, (_, i) => `${i} ${i === 5000 ? "needle" : "x"}`);
    const p = write(d.path, "c.log", lines.join("\n") + "\n");
    const s = open([p]);
    const r = s.open(s.chunks()[0]!.id);
    expect([...r.positionsContaining!(enc("needle"))!]).toEqual([5000]);
    // Same size, one line break fewer in the hit's block: a record of the block loads it.
    writeFileSync(p, (lines.join("\n") + "\n").replace("4999 x\n", "4999 x "));
    expect(() => r.record(4999)).toThrow("changed after it was opened");
    // The hit's line itself is read alone (where the search found it), not through its block.
    expect(latin1.decode(r.record(5000).raw)).toBe("5000 needle");
    // Same size, one line break more where the hit's line was: the hit, read alone, fails too.
    writeFileSync(p, (lines.join("\n") + "\n").replace("5000 needle", "5000\nneedl"));
    expect(() => r.record(5000)).toThrow("changed after it was opened");
  });

  test("a region remembers the hit lines of its latest search with at most MAX_NOTED_HITS hits only (a long session stays bounded)", () => {
    using d = tempDir("gl-text-");
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i} ${i === 5000 ? "needle" : i === 6000 ? "other" : i % 4 === 1 ? "many" : "x"}`);
    const p = write(d.path, "h.log", lines.join("\n") + "\n");
    const s = open([p]);
    const r = s.open(s.chunks()[0]!.id);
    const found = (needle: string) => [...r.positionsContaining!(enc(needle))!];
    expect([found("many").length, found("needle"), found("other")]).toEqual([5000, [5000], [6000]]);
    expect(5000).toBeGreaterThan(MAX_NOTED_HITS);
    // Same size, one line break fewer in the hits' block: only a line read alone still reads.
    writeFileSync(p, (lines.join("\n") + "\n").replace("4999 x\n", "4999 x "));
    expect(latin1.decode(r.record(6000).raw)).toBe("6000 other");
    // The earlier search's hit and the too-many search's hits go through their block.
    expect(() => r.record(5000)).toThrow("changed after it was opened");
    expect(() => r.record(5001)).toThrow("changed after it was opened");
  });

  test("a search gives up (undefined) once the needle occurs in more than 1 of `dense` records, read or counted", () => {
    using d = tempDir("gl-text-");
    // Several read pieces: the density is judged between pieces.
    const pad = "-".repeat(100);
    const content = Array.from({ length: 20_000 }, (_, i) => `${i} ${i % 3 === 0 ? "Common" : i === 15_001 ? "rare" : "other"} ${pad}`).join("\n");
    const path = write(d.path, "d.log", content);
    const s = open([path]);
    const common = { foldCase: true, dense: 4 };
    // Given up before the region was counted, then counted by a rare needle, then given up again.
    expect([search(s, "common", common), search(s, "rare", common), search(s, "common", common)]).toEqual([[undefined], [[15_001]], [undefined]]);
    expect(search(s, "common", { foldCase: true, dense: 2 })[0]!.length).toBe(Math.ceil(20_000 / 3));
  });
});
