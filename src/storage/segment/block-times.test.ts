/**
 * SegmentReader.blockTimes: each block's source and ingest times equal what batches() decodes,
 * whatever the block's codec and frames, while a zstd block with its payloads in a frame of their
 * own decompresses only the frames before them.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { eventTime, type LogRecord } from "../../core/record.ts";
import { withQueryCost, type QueryCost } from "../../observability/query-cost.ts";
import { batchFromRecords } from "../record-batch.ts";
import { ByteCache } from "../byte-cache.ts";
import { SegmentReader } from "./reader.ts";
import { simpleRecords, tempDir } from "./test-support.ts";
import { DEFAULT_SEGMENT_OPTIONS, writeSegment } from "./writer.ts";
import type { CodecName } from "./format.ts";

const HEADER = { chunkId: "0195b2c4-7d10-7aa0-8f00-3c2e1b9a0d12", createdAt: 1_700_000_000_000_000 };
const dir = tempDir();
afterAll(() => dir[Symbol.dispose]());

/** Records with long payloads (so the payload frame dominates a block), and some with none. */
function records(n: number, empty: (i: number) => boolean): LogRecord[] {
  return simpleRecords(n, (i) => 1_000_000 + i * 1_000).map((r, i) => ({ ...r, raw: empty(i) ? new Uint8Array(0) : new TextEncoder().encode(`${i} ${"payload text ".repeat(40)}`) }));
}

function segment(name: string, recs: LogRecord[], codec: CodecName): SegmentReader {
  const path = dir.file(name);
  writeSegment(path, HEADER, [batchFromRecords(0, recs)], { ...DEFAULT_SEGMENT_OPTIONS, codec, blockRawBytes: 20_000 }, []);
  return SegmentReader.open(path, new ByteCache());
}

/** Every block's event times through blockTimes, and the bytes charged for them. */
function timesOf(r: SegmentReader): { times: number[]; cost: QueryCost } {
  const cost: QueryCost = { blocks: 0, bytes: 0 };
  const times: number[] = [];
  withQueryCost(cost, () => {
    for (let k = 0; k < r.blocks().length; k++) {
      const { sourceTs, ingestTs } = r.blockTimes(k);
      for (let i = 0; i < r.blocks()[k]!.count; i++) times.push(sourceTs[i] !== 0 ? sourceTs[i]! : ingestTs[i]!);
    }
  });
  return { times, cost };
}

describe("block times", () => {
  test.each(["zstd", "lz4", "none"] as const)("equal the records' event times (%s)", (codec) => {
    const recs = records(400, (i) => i % 50 === 0);
    const r = segment(`t-${codec}.seg`, recs, codec);
    try {
      expect(r.blocks().length).toBeGreaterThan(5);
      expect(timesOf(r).times).toEqual(recs.map(eventTime));
    } finally {
      r.close();
    }
  });

  test("zstd blocks decompress only their columns: a small fraction of the raw bytes", () => {
    const recs = records(400, () => false);
    const r = segment("cols.seg", recs, "zstd");
    try {
      const raw = r.blocks().reduce((n, b) => n + b.rawLen, 0);
      const { times, cost } = timesOf(r);
      expect(times).toEqual(recs.map(eventTime));
      expect({ blocks: cost.blocks, small: cost.bytes * 10 < raw }).toEqual({ blocks: r.blocks().length, small: true });
    } finally {
      r.close();
    }
  });

  test("a block whose records are all empty (no payload frame) is read whole and gives the same times", () => {
    const recs = records(200, () => true);
    const r = segment("empty.seg", recs, "zstd");
    try {
      const raw = r.blocks().reduce((n, b) => n + b.rawLen, 0);
      const { times, cost } = timesOf(r);
      expect({ times, bytes: cost.bytes >= raw }).toEqual({ times: recs.map(eventTime), bytes: true });
    } finally {
      r.close();
    }
  });

  test("a block index outside the segment is refused", () => {
    const r = segment("range.seg", records(50, () => false), "zstd");
    try {
      expect(() => r.blockTimes(r.blocks().length)).toThrow(/out of range/);
      expect(() => r.blockTimes(-1)).toThrow(/out of range/);
    } finally {
      r.close();
    }
  });
});
