/** batchFromRecords / sliceBatch / recordAt: packing and zero-copy slicing; EncodedAttrs views. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { RecordBatch } from "./types.ts";
import { batchFromRecords, recordAt, sliceBatch } from "./record-batch.ts";
import { recordsArb } from "./segment/test-support.ts";
import { EncodedAttrs } from "./column-batch.ts";

function unpack(b: RecordBatch) {
  return { first: b.first, records: Array.from({ length: b.count }, (_, i) => recordAt(b, i)) };
}

describe("record batches", () => {
  test("property: batchFromRecords packs every field, slices see the right sub-range", () => {
    fc.assert(
      fc.property(recordsArb(20), fc.nat(100), fc.nat(20), fc.nat(20), (records, first, a, b) => {
        const batch = batchFromRecords(first, records);
        const from = Math.min(a, b, records.length);
        const to = Math.min(Math.max(a, b), records.length);
        const slice = sliceBatch(batch, from, to);
        expect({ whole: unpack(batch), slice: unpack(slice), offsets: batch.rawOffsets.length }).toEqual({
          whole: { first, records },
          slice: { first: first + from, records: records.slice(from, to) },
          offsets: records.length + 1,
        });
        expect(slice.data.buffer).toBe(batch.data.buffer);
      }),
      { numRuns: 200 },
    );
  });

  test("a slice covering the whole batch is the batch itself", () => {
    const batch = batchFromRecords(3, [{ raw: new Uint8Array([1]), attrs: {}, sourceTs: 0, ingestTs: 1, writeTs: 2 }]);
    expect(sliceBatch(batch, 0, 1)).toBe(batch);
  });
});

describe("EncodedAttrs.bytes", () => {
  test("consecutive equal maps share one view (consumers memoise by identity); any other map gets its own, with its bytes", () => {
    const maps = [[1, 2, 3], [1, 2, 3], [1, 2, 3], [4, 5], [1, 2, 3], [1, 2, 4], []];
    const buf = new Uint8Array(maps.flat());
    const offsets = new Uint32Array(maps.length + 1);
    maps.forEach((m, i) => (offsets[i + 1] = offsets[i]! + m.length));
    const col = new EncodedAttrs(buf, offsets);
    const views = maps.map((_, i) => col.bytes(i));
    expect(views.map((v) => [...v])).toEqual(maps);
    expect(views.map((v, i) => i > 0 && v === views[i - 1])).toEqual([false, true, true, false, false, false, false]);
  });
});
