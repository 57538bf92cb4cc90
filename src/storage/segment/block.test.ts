/** Block body codec: property round trip, attribute dedup and lazy decode, malformed bodies. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { LogRecord } from "../../core/record.ts";
import { batchFromRecords, recordAt } from "../record-batch.ts";
import { BlockEncoder, decodeBlock, decodeColumns } from "./block.ts";
import { recordsArb } from "./test-support.ts";

function encodeAll(records: LogRecord[]): Uint8Array {
  const enc = new BlockEncoder();
  const batch = batchFromRecords(0, records);
  for (let i = 0; i < batch.count; i++) enc.add(batch, i);
  return enc.encode();
}

describe("block codec", () => {
  test("property: every field round-trips", () => {
    fc.assert(
      fc.property(recordsArb(30), fc.nat(1000), (records, first) => {
        const block = decodeBlock(encodeAll(records), first, records.length);
        const back = Array.from({ length: block.count }, (_, i) => recordAt(block, i));
        expect({ first: block.first, records: back }).toEqual({ first, records });
      }),
      { numRuns: 200 },
    );
  });

  test("equal attr maps are stored once and decoded once", () => {
    const a = { host: "x", app: "y" };
    const records = [0, 1, 2, 3].map((i) => ({ raw: new Uint8Array([i]), attrs: i === 2 ? { app: "y", host: "x" } : i === 3 ? {} : a, sourceTs: 0, ingestTs: 1, writeTs: 2 }));
    const oneMap = encodeAll(records.slice(0, 3));
    const body = encodeAll(records);
    const block = decodeBlock(body, 0, 4);
    expect({
      sameObject: block.attrs(0) === block.attrs(2),
      values: [block.attrs(1), block.attrs(3)],
      // The 4th record adds one empty map (1 length byte + 1 map byte) plus its own columns only.
      extraBytes: body.length - oneMap.length <= 12,
    }).toEqual({ sameObject: true, values: [a, {}], extraBytes: true });
  });

  test("data and offsets are views into the body (no per-record copies)", () => {
    const body = encodeAll([{ raw: new Uint8Array([1, 2, 3]), attrs: {}, sourceTs: 0, ingestTs: 0, writeTs: 0 }]);
    const block = decodeBlock(body, 0, 1);
    expect({ shared: block.data.buffer === body.buffer, offsets: [...block.rawOffsets] }).toEqual({ shared: true, offsets: [0, 3] });
  });

  test("reset() starts a fresh block", () => {
    const enc = new BlockEncoder();
    const batch = batchFromRecords(0, [{ raw: new Uint8Array([7]), attrs: { a: "1" }, sourceTs: 3, ingestTs: 2, writeTs: 1 }]);
    enc.add(batch, 0);
    enc.encode();
    enc.reset();
    enc.add(batch, 0);
    const block = decodeBlock(enc.encode(), 0, 1);
    expect(recordAt(block, 0)).toEqual({ raw: new Uint8Array([7]), attrs: { a: "1" }, sourceTs: 3, ingestTs: 2, writeTs: 1 });
  });

  const good = encodeAll([
    { raw: new Uint8Array([1, 2]), attrs: { k: "v" }, sourceTs: 0, ingestTs: 5, writeTs: 6 },
    { raw: new Uint8Array([3]), attrs: {}, sourceTs: 9, ingestTs: 5, writeTs: 7 },
  ]);
  test.each([
    { name: "too short", body: good.subarray(0, 5), count: 2, message: "too short" },
    { name: "count differs from directory", body: good, count: 3, message: "directory says 3" },
    { name: "truncated", body: good.subarray(0, good.length - 1), count: 2, message: "do not add up" },
    { name: "lengths disagree with data", body: withByte(good, 12, 5), count: 2, message: "sum to" },
  ])("rejects a body that is $name", ({ body, count, message }) => {
    expect(() => decodeBlock(body, 0, count)).toThrow(message);
  });
});

describe("lazy columns", () => {
  const records: LogRecord[] = [
    { raw: new Uint8Array([1, 2]), attrs: { k: "v" }, sourceTs: 0, ingestTs: 5, writeTs: 6 },
    { raw: new Uint8Array([3]), attrs: {}, sourceTs: 9, ingestTs: 5, writeTs: 7 },
  ];
  const body = encodeAll(records);
  /** Offset just past the columns: the last attribute index varint is the byte before it. */
  const colsEnd = 12 + new DataView(body.buffer, body.byteOffset).getUint32(8, true);

  test("a damaged attribute index opens, serves payloads and times, and fails when the attributes are read", () => {
    const block = decodeBlock(withByte(body, colsEnd - 1, 5), 0, 2, (err) => new Error(`damaged: ${(err as Error).message}`));
    expect({ payload: [...block.data], sourceTs: [...block.sourceTs], ingestTs: [...block.ingestTs], writeTs: [...block.writeTs] }).toEqual({
      payload: [1, 2, 3],
      sourceTs: [0, 9],
      ingestTs: [5, 5],
      writeTs: [6, 7],
    });
    expect(() => block.attrs(1)).toThrow("damaged: record 1 uses attribute map 5 of 2");
  });

  test("a malformed timestamp column opens, serves payloads, and fails when a column is read", () => {
    const block = decodeBlock(withByte(body, 14, 12), 0, 2, (err) => new Error(`damaged: ${(err as Error).message}`));
    expect([...block.data]).toEqual([1, 2, 3]);
    expect(() => block.sourceTs).toThrow("damaged: invalid timestamp column mode 12");
    expect(() => block.attrs(0)).toThrow("damaged: invalid timestamp column mode 12");
  });

  test("decodeColumns (verification) finds a malformed column at once and passes a sound block", () => {
    expect(() => decodeColumns(decodeBlock(withByte(body, colsEnd - 1, 5), 0, 2))).toThrow("record 1 uses attribute map 5 of 2");
    expect(() => decodeColumns(decodeBlock(withByte(body, 14, 12), 0, 2))).toThrow("invalid timestamp column mode 12");
    expect(decodeColumns(decodeBlock(body, 0, 2))).toBeUndefined();
  });

  test("each column decodes on its own, in any order, to the stored values", () => {
    const orders = [["sourceTs", "ingestTs", "writeTs"], ["writeTs", "sourceTs", "ingestTs"], ["ingestTs", "writeTs", "sourceTs"]] as const;
    const seen = orders.map((order) => {
      const block = decodeBlock(body, 0, 2);
      return Object.fromEntries(order.map((c) => [c, [...block[c]]]));
    });
    for (const s of seen) expect(s).toEqual({ sourceTs: [0, 9], ingestTs: [5, 5], writeTs: [6, 7] });
  });
});

function withByte(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  c[at] = v;
  return c;
}
