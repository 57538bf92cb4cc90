/** batchFromRecords / sliceBatch / recordAt: packing and zero-copy slicing. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { RecordBatch } from "./types.ts";
import { batchFromRecords, recordAt, sliceBatch } from "./record-batch.ts";
import { recordsArb } from "./segment/test-support.ts";

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
