/** selectExpired: each condition, their union, chunk states, and properties of each limit. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { ChunkMeta, ChunkState } from "../types.ts";
import { selectExpired, type RetentionPolicy } from "./policy.ts";

const H = 3_600_000_000;
const NOW = 1_000 * H;

/** Chunk i (IDs sort by i) with its last write `ageH` hours ago and `bytes` stored. */
function chunk(i: number, ageH: number, bytes: number, state: ChunkState = "sealed"): ChunkMeta {
  const t = { min: NOW - ageH * H - 1, max: NOW - ageH * H };
  return {
    id: `c${String(i).padStart(4, "0")}`,
    store: "s",
    state,
    records: 1,
    rawBytes: bytes,
    storedBytes: bytes,
    createdAt: t.min,
    writeTs: t,
    ingestTs: t,
    eventTs: t,
    codec: state === "sealed" ? "zstd" : "",
    indexStatus: "none",
    indexBytes: 0,
  };
}

const policy = (p: Partial<RetentionPolicy>): RetentionPolicy => ({ maxAgeMicros: 0, maxBytes: 0, maxChunks: 0, ...p });
const ids = (chunks: ChunkMeta[], p: Partial<RetentionPolicy>) => selectExpired(chunks, policy(p), NOW).map((x) => `${x.id}:${x.reason}`);

describe("selectExpired", () => {
  const chunks = [chunk(0, 50, 100), chunk(1, 30, 100), chunk(2, 10, 300), chunk(3, 5, 100), chunk(4, 1, 100), chunk(5, 0, 100, "active")];

  test("table", () => {
    const cases: [Partial<RetentionPolicy>, string[]][] = [
      [{}, []],
      [{ maxAgeMicros: 24 * H }, ["c0000:age", "c0001:age"]],
      [{ maxAgeMicros: 30 * H }, ["c0000:age"]], // strictly older than the TTL
      [{ maxChunks: 2 }, ["c0000:chunks", "c0001:chunks", "c0002:chunks"]],
      [{ maxBytes: 499 }, ["c0000:bytes", "c0001:bytes", "c0002:bytes"]], // 100+100+300 > 499: c2 and older go
      [{ maxBytes: 500 }, ["c0000:bytes", "c0001:bytes"]],
      [{ maxBytes: 600 }, ["c0000:bytes"]],
      [{ maxBytes: 50 }, ["c0000:bytes", "c0001:bytes", "c0002:bytes", "c0003:bytes", "c0004:bytes"]],
      [{ maxAgeMicros: 40 * H, maxChunks: 3, maxBytes: 10_000 }, ["c0000:age", "c0001:chunks"]],
      [{ maxAgeMicros: 24 * H, maxBytes: 450 }, ["c0000:age", "c0001:age", "c0002:bytes"]],
    ];
    expect(cases.map(([p]) => ids(chunks, p))).toEqual(cases.map(([, want]) => want));
  });

  test("active, sealing and corrupt chunks are never selected", () => {
    const odd = [chunk(0, 99, 1000, "active"), chunk(1, 99, 1000, "sealing"), chunk(2, 99, 1000, "corrupt"), chunk(3, 99, 1000)];
    expect(ids(odd, { maxAgeMicros: H, maxChunks: 1, maxBytes: 1 })).toEqual(["c0003:age"]);
  });

  test("property: each limit keeps exactly the newest chunks it allows", () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 1000 })), { maxLength: 20 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 5000 }), (spec, n, budget) => {
        const cs = spec.map(([age, bytes], i) => chunk(i, age, bytes));
        const kept = (p: Partial<RetentionPolicy>) => {
          const gone = new Set(selectExpired(cs, policy(p), NOW).map((x) => x.id));
          return cs.filter((c) => !gone.has(c.id));
        };
        expect(kept({ maxChunks: n })).toEqual(cs.slice(Math.max(0, cs.length - n)));
        let sum = 0;
        let first = cs.length;
        while (first > 0 && sum + cs[first - 1]!.storedBytes <= budget) sum += cs[--first]!.storedBytes;
        expect(kept({ maxBytes: budget })).toEqual(cs.slice(first));
        expect(kept({ maxAgeMicros: 20 * H })).toEqual(cs.filter((c) => c.writeTs.max >= NOW - 20 * H));
      }),
      { numRuns: 200 },
    );
  });
});
