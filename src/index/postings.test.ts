import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ByteWriter } from "../core/bytes/growable.ts";
import { LogError } from "../core/errors.ts";
import {
  POSTINGS_BITMAP,
  POSTINGS_DELTA,
  decodePostings,
  encodePostings,
  encodedPostingsSize,
  firstPosition,
  intersectPositions,
  postingsCount,
  unionMany,
  unionPositions,
} from "./postings.ts";

function encode(p: number[]): Uint8Array {
  const w = new ByteWriter(8);
  encodePostings(p, w);
  return w.finish().slice();
}

/** Strictly ascending u32 lists: sparse, dense and clustered near 2^32. */
const sortedSet = (values: fc.Arbitrary<number>) =>
  fc.uniqueArray(values, { maxLength: 300 }).map((a) => a.sort((x, y) => x - y));
const positions = fc.oneof(
  sortedSet(fc.integer({ min: 0, max: 0xffff_ffff })),
  sortedSet(fc.integer({ min: 0, max: 600 })),
  sortedSet(fc.integer({ min: 0xffff_fe00, max: 0xffff_ffff })),
);

describe("posting list codec", () => {
  test.each<[string, number[], number[]]>([
    ["empty", [], [POSTINGS_DELTA, 0]],
    ["single", [300], [POSTINGS_DELTA, 1, 0xac, 0x02]],
    ["sparse -> delta of gaps-1", [5, 6, 100], [POSTINGS_DELTA, 3, 5, 0, 93]],
    ["dense -> bitmap", [8, 9, 10, 11, 12, 13, 14, 15, 16], [POSTINGS_BITMAP, 9, 8, 2, 0xff, 0x01]],
  ])("%s", (_name, list, bytes) => {
    const enc = encode(list);
    expect([...enc]).toEqual(bytes);
    expect(encodedPostingsSize(list)).toBe(bytes.length);
    const cur = { pos: 0 };
    expect([...decodePostings(enc, cur)]).toEqual(list);
    expect(cur.pos).toBe(enc.length);
    expect(postingsCount(enc, 0)).toBe(list.length);
  });

  test("property: postingsCount and firstPosition read the header and first position of any list", () => {
    fc.assert(
      fc.property(fc.oneof(positions, sortedSet(fc.integer({ min: 0, max: 200 })).map((a) => a.slice(0, 1))), (list) => {
        const buf = new Uint8Array([0xee, ...encode(list), 0xee]);
        expect(postingsCount(buf, 1)).toBe(list.length);
        if (list.length > 0) expect(firstPosition(buf, 1)).toBe(list[0]!);
      }),
    );
  });

  test("postingsCount and firstPosition of lists of 200 positions (two-byte count) and bitmaps", () => {
    const long = Array.from({ length: 200 }, (_, i) => 1000 + 3 * i);
    const dense = Array.from({ length: 200 }, (_, i) => 70_000 + i);
    for (const list of [long, dense]) {
      const enc = encode(list);
      expect(postingsCount(enc, 0)).toBe(200);
      expect(firstPosition(enc, 0)).toBe(list[0]!);
    }
    expect(encode(dense)[0]).toBe(POSTINGS_BITMAP);
  });

  test("property: round trip, exact size, lists can be concatenated", () => {
    fc.assert(
      fc.property(positions, positions, (a, b) => {
        const w = new ByteWriter(4);
        w.u8(0xee);
        encodePostings(a, w);
        encodePostings(b, w);
        const buf = w.finish();
        expect(buf.length).toBe(1 + encodedPostingsSize(a) + encodedPostingsSize(b));
        const cur = { pos: 1 };
        expect([...decodePostings(buf, cur)]).toEqual(a);
        expect([...decodePostings(buf, cur)]).toEqual(b);
        expect(cur.pos).toBe(buf.length);
      }),
      { numRuns: 200 },
    );
  });

  test("bitmap wins for dense lists, delta for sparse ones", () => {
    const dense = Array.from({ length: 1000 }, (_, i) => i * 2);
    const sparse = Array.from({ length: 1000 }, (_, i) => i * 1000);
    expect({ dense: encode(dense)[0], denseBytes: encodedPostingsSize(dense) }).toEqual({
      dense: POSTINGS_BITMAP,
      denseBytes: 1 + 2 + 1 + 2 + 250,
    });
    expect({ sparse: encode(sparse)[0], sparseBytes: encodedPostingsSize(sparse) }).toEqual({
      sparse: POSTINGS_DELTA,
      sparseBytes: 1 + 2 + 1 + 999 * 2,
    });
  });

  test.each<[string, number[], string]>([
    ["unknown kind", [7, 0], "unknown list kind 7"],
    ["truncated delta", [POSTINGS_DELTA, 3, 1, 1], "count 3 exceeds the 2 bytes left"],
    ["truncated varint", [POSTINGS_DELTA, 2, 1, 0x80], "truncated varint"],
    ["over-long varint", [POSTINGS_DELTA, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0], "longer than 5 bytes"],
    ["delta past u32", [POSTINGS_DELTA, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0], "exceeds u32"],
    ["bitmap count mismatch", [POSTINGS_BITMAP, 3, 0, 1, 0x03], "bitmap holds 2 positions, header says 3"],
    ["bitmap too many bits", [POSTINGS_BITMAP, 1, 0, 1, 0x03], "bitmap holds more than 1 positions"],
    ["bitmap overrun", [POSTINGS_BITMAP, 1, 0, 4, 0x01], "overruns the section"],
    ["empty input", [], "list starts past its section"],
  ])("corrupt: %s", (_name, bytes, message) => {
    let err: unknown;
    try {
      decodePostings(new Uint8Array(bytes), { pos: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LogError);
    expect((err as LogError).code).toBe("corrupt");
    expect((err as LogError).message).toContain(message);
  });

  test("section end bounds the decoder even when the buffer continues", () => {
    const enc = encode([1, 2, 3]);
    const padded = new Uint8Array([...enc, 0, 0, 0]);
    expect(() => decodePostings(padded, { pos: 0 }, enc.length - 1)).toThrow("posting list");
  });
});

describe("set operations", () => {
  const u = (a: number[]) => Uint32Array.from(a);
  test.each<[number[], number[], number[], number[]]>([
    [[], [], [], []],
    [[1, 2, 3], [], [], [1, 2, 3]],
    [[1, 3, 5], [2, 3, 4, 5], [3, 5], [1, 2, 3, 4, 5]],
    [[7], Array.from({ length: 200 }, (_, i) => i), [7], Array.from({ length: 200 }, (_, i) => i)],
    [[0, 4294967295], [4294967295], [4294967295], [0, 4294967295]],
  ])("%p with %p", (a, b, inter, union) => {
    expect({ inter: [...intersectPositions(u(a), u(b))], union: [...unionPositions(u(a), u(b))] }).toEqual({
      inter,
      union,
    });
  });

  test("property: intersect/union agree with a Set oracle (merge and galloping paths)", () => {
    const small = sortedSet(fc.integer({ min: 0, max: 2000 }));
    const big = fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 0, maxLength: 1500 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(fc.oneof(small, big), fc.oneof(small, big), (a, b) => {
        const sb = new Set(b);
        const inter = a.filter((x) => sb.has(x));
        const union = [...new Set([...a, ...b])].sort((x, y) => x - y);
        expect([...intersectPositions(u(a), u(b))]).toEqual(inter);
        expect([...intersectPositions(u(b), u(a))]).toEqual(inter);
        expect([...unionPositions(u(a), u(b))]).toEqual(union);
      }),
      { numRuns: 200 },
    );
  });

  test("property: unionMany of any number of lists (merged pairwise or sorted once) is their sorted distinct union", () => {
    fc.assert(
      fc.property(fc.array(sortedSet(fc.integer({ min: 0, max: 500 })), { maxLength: 7 }), (lists) => {
        const union = [...new Set(lists.flat())].sort((x, y) => x - y);
        expect([...unionMany(lists.map(u))]).toEqual(union);
      }),
      { numRuns: 300 },
    );
  });
});
