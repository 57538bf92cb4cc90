/**
 * The event-cells section codec: runs per block round-trip (records out of order merged into
 * ascending cells), a block spread over too many seconds gets no summary, and a malformed
 * section or one that disagrees with the blocks is rejected.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeEventCells, EVENT_CELL_GRAIN, EVENT_CELLS_MAX_SHARE, EventCellsWriter } from "./event-cells.ts";

/** The naive runs of `times`: [cell, count] ascending. */
function naive(times: readonly number[]): [number, number][] {
  const m = new Map<number, number>();
  for (const t of times) m.set(Math.floor(t / EVENT_CELL_GRAIN), (m.get(Math.floor(t / EVENT_CELL_GRAIN)) ?? 0) + 1);
  return [...m].sort((a, b) => a[0] - b[0]);
}

function encode(blocks: readonly (readonly number[])[]): Uint8Array {
  const w = new EventCellsWriter();
  for (const times of blocks) {
    for (const t of times) w.add(t);
    w.endBlock(times.length);
  }
  return w.finish();
}

describe("event-cells section", () => {
  test("property: each block's runs are its records per second, ascending, or none when too spread", () => {
    const block = fc.array(fc.integer({ min: 1_700_000_000_000_000, max: 1_700_000_040_000_000 }), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), (blocks) => {
        const got = decodeEventCells(encode(blocks), blocks.map((b) => b.length));
        const want = blocks.map((b) => {
          const runs = naive(b);
          return runs.length > Math.max(1, b.length * EVENT_CELLS_MAX_SHARE) ? undefined : runs;
        });
        const runsOf = (r: (typeof got.blocks)[number]) => r && Array.from(r.cells, (c, k): [number, number] => [c, r.counts[k]!]);
        expect({ grain: got.grain, blocks: got.blocks.map(runsOf) }).toEqual({ grain: EVENT_CELL_GRAIN, blocks: want });
      }),
      { numRuns: 200, seed: 1203 },
    );
  });

  test("a block of one second is one run; records out of order merge into ascending cells", () => {
    const s = 1_700_000_000_000_000;
    const at = (second: number, n: number) => Array.from({ length: n }, (_, k) => s + second * 1_000_000 + k * 99_999);
    const mixed = [...at(3, 4), ...at(1, 6), ...at(3, 6), ...at(2, 8)];
    const got = decodeEventCells(encode([[s + 5, s + 999_999, s], mixed]), [3, mixed.length]).blocks;
    expect(got.map((r) => r && [Array.from(r.cells), Array.from(r.counts)])).toEqual([[[1_700_000_000], [3]], [[1_700_000_001, 1_700_000_002, 1_700_000_003], [6, 8, 10]]]);
  });

  test("a section that disagrees with the blocks, or is malformed, is rejected", () => {
    const bytes = encode([[1_000_000, 1_000_001], [5_000_000]]);
    const attempts = [
      () => decodeEventCells(bytes, [2]),
      () => decodeEventCells(bytes, [3, 1]),
      () => decodeEventCells(bytes.subarray(0, bytes.length - 1), [2, 1]),
      () => decodeEventCells(new Uint8Array([...bytes, 0]), [2, 1]),
      () => decodeEventCells(new Uint8Array([9, ...bytes.subarray(1)]), [2, 1]),
      () => decodeEventCells(new Uint8Array(0), []),
    ];
    expect(attempts.map((f) => { try { f(); return "accepted"; } catch (e) { return (e as Error).name; } })).toEqual(Array(attempts.length).fill("RangeError"));
    expect(decodeEventCells(bytes, [2, 1]).blocks.map((r) => r?.counts[0])).toEqual([2, 1]);
  });
});
