/**
 * Substring scans over whole batches (BatchMatcher.markNeedle: one search over the batch's
 * bytes, each hit mapped to its record through the lengths column) against a per-record oracle
 * (ASCII case folding, other bytes exact, core-behaviour B2), on batches built from records and
 * on sealed-segment blocks decoded into one lent buffer as counts and searches read them: hits at
 * record boundaries count, a match spanning two records does not, case folds, non-ASCII is exact.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { asciiLowerBytes } from "../src/core/ascii.ts";
import type { LogRecord } from "../src/core/record.ts";
import { BatchMatcher } from "../src/query/engine/batch-matcher.ts";
import { substringKind } from "../src/query/engine/predicates/substring.ts";
import { batchFromRecords } from "../src/storage/record-batch.ts";
import { SegmentReader } from "../src/storage/segment/reader.ts";
import { tempDir } from "../src/storage/segment/test-support.ts";
import { writeSegment } from "../src/storage/segment/writer.ts";
import { ByteCache } from "../src/storage/byte-cache.ts";
import type { DecodeBuffer, RecordBatch } from "../src/storage/types.ts";

const encode = (s: string) => new TextEncoder().encode(s);

/** True when `raw` holds `word` with ASCII letters folded and every other byte exact. */
function oracle(raw: Uint8Array, word: string): boolean {
  const folded = Uint8Array.from(raw, (b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b));
  return Buffer.from(folded).includes(Buffer.from(asciiLowerBytes(word)));
}

/** Per record of `batch`, whether the substring predicate for `word` marks it. */
function marked(batch: RecordBatch, word: string): boolean[] {
  const p = substringKind.compile({ kind: "token", word, quoted: true })!;
  const flags = new BatchMatcher(batch).flags(p);
  return Array.from(flags, (f) => f === 1);
}

function record(raw: Uint8Array, i: number): LogRecord {
  return { raw, attrs: {}, sourceTs: 0, ingestTs: 1_000 + i, writeTs: 1_000 + i };
}

const pieces = ["a", "A", "4", "2", "42", "é", "É", "ß", "x", " ", "\n", "-"];
const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join(""));
const wordArb = fc.array(fc.constantFrom(...pieces.filter((p) => p !== " " && p !== "\n")), { minLength: 1, maxLength: 4 }).map((p) => p.join(""));

describe("substring scan over whole batches", () => {
  test("hits at record starts and ends count; a match spanning two records does not", () => {
    const batch = batchFromRecords(0, ["4242 start", "ends 42", "42 next", "x 4", "242 y", "no"].map((s, i) => record(encode(s), i)));
    // "4242" is at the start of record 0; "42" ends record 1 and starts record 2; "4" ending record 3
    // followed by "242" starting record 4 spells "4242" only across the boundary.
    expect(marked(batch, "4242")).toEqual([true, false, false, false, false, false]);
    expect(marked(batch, "42")).toEqual([true, true, true, false, true, false]);
    expect(marked(batch, "2 y")).toEqual([false, false, false, false, true, false]);
    expect(marked(batch, "4242 y")).toEqual([false, false, false, false, false, false]);
  });

  test("ASCII letters fold both ways; non-ASCII bytes match exactly", () => {
    const batch = batchFromRecords(0, ["ID-42A", "id-42a", "Café 42", "CAFÉ 42", "café 42"].map((s, i) => record(encode(s), i)));
    expect(marked(batch, "id-42a")).toEqual([true, true, false, false, false]);
    expect(marked(batch, "ID-42A")).toEqual([true, true, false, false, false]);
    expect(marked(batch, "café 42")).toEqual([false, false, true, false, true]);
    expect(marked(batch, "CAFÉ 42")).toEqual([false, false, false, true, false]);
  });

  test("property: batches from records agree with the per-record oracle", () => {
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 30 }), wordArb, (texts, word) => {
        const raws = texts.map(encode);
        const batch = batchFromRecords(0, raws.map(record));
        expect(marked(batch, word)).toEqual(raws.map((r) => oracle(r, word)));
      }),
      { numRuns: 500 },
    );
  });

  test("property: sealed blocks decoded into one lent buffer agree with the oracle, block after block", () => {
    using dir = tempDir();
    let run = 0;
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 80 }), wordArb, fc.integer({ min: 8, max: 200 }), (texts, word, blockRawBytes) => {
        const raws = texts.map(encode);
        const path = dir.file(`s${run++}.seg`);
        writeSegment(path, { chunkId: "0195b2c4-7d10-7aa0-8f00-3c2e1b9a0d11", createdAt: 1 }, [batchFromRecords(0, raws.map(record))], { codec: "zstd", level: 6, blockRawBytes }, []);
        const reader = SegmentReader.open(path, new ByteCache(1)); // no room: every block goes through the lent buffer
        try {
          const reuse: DecodeBuffer = { bytes: new Uint8Array(0) };
          const got: boolean[] = [];
          for (const b of reader.batches(0, raws.length, reuse)) got.push(...marked(b, word));
          expect(got).toEqual(raws.map((r) => oracle(r, word)));
        } finally {
          reader.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
