/** writeSegment + SegmentReader: round trips, ranges, time search, sections and builders. */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import fc from "fast-check";
import { LogError } from "../../core/errors.ts";
import { eventTime, type LogRecord } from "../../core/record.ts";
import type { DecodeBuffer, RecordBatch, SectionBuilder } from "../types.ts";
import { ByteCache } from "../byte-cache.ts";
import { batchFromRecords, recordAt } from "../record-batch.ts";
import { SegmentReader } from "./reader.ts";
import { recordsArb, simpleRecords, tempDir } from "./test-support.ts";
import { DEFAULT_SEGMENT_OPTIONS, writeSegment, type SegmentWriteOptions } from "./writer.ts";
import { thrownCode } from "../../../test/support/outcome.ts";

const HEADER = { chunkId: "0195b2c4-7d10-7aa0-8f00-3c2e1b9a0d11", createdAt: 1_700_000_000_000_000 };

/** Splits records into batches of `size` (>= 1). */
function batches(records: readonly LogRecord[], size: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (let i = 0; i < records.length; i += size) out.push(batchFromRecords(i, records.slice(i, i + size)));
  return out;
}

function readAll(r: SegmentReader, from = 0, to = r.count()): LogRecord[] {
  const out: LogRecord[] = [];
  for (const b of r.batches(from, to)) for (let i = 0; i < b.count; i++) out.push(recordAt(b, i));
  return out;
}

function range(xs: number[]): { min: number; max: number } {
  return xs.length === 0 ? { min: 0, max: 0 } : { min: Math.min(...xs), max: Math.max(...xs) };
}

/** A builder recording what it saw; its section is the record count as text. */
function countingBuilder(name: string, status: "complete" | "capped" = "complete"): SectionBuilder {
  let n = 0;
  return { name, add: (b) => void (n += b.count), finish: () => ({ bytes: new TextEncoder().encode(`${name}:${n}`), status }) };
}

describe("segment round trip", () => {
  test.each(["zstd", "lz4", "none"] as const)("property: every field of random records survives (%s)", (codec) => {
    using dir = tempDir();
    let run = 0;
    fc.assert(
      fc.property(recordsArb(60), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 25 }), (records, blockRawBytes, batchSize) => {
        const path = dir.file(`r${run++}.seg`);
        const options: SegmentWriteOptions = { codec, level: 3, blockRawBytes };
        const s = writeSegment(path, HEADER, batches(records, batchSize), options, []);
        const r = SegmentReader.open(path);
        const expected = {
          records: records.length,
          rawBytes: records.reduce((n, x) => n + x.raw.length, 0),
          writeTs: range(records.map((x) => x.writeTs)),
          ingestTs: range(records.map((x) => x.ingestTs)),
          eventTs: range(records.map(eventTime)),
        };
        expect({ records: s.records, rawBytes: s.rawBytes, writeTs: s.writeTs, ingestTs: s.ingestTs, eventTs: s.eventTs }).toEqual(expected);
        expect({ ...r.summary, chunkId: r.chunkId, createdAt: r.createdAt }).toEqual({
          ...expected,
          storedBytes: s.storedBytes,
          indexBytes: 0,
          blocks: s.blocks,
          codec,
          indexStatus: "none",
          chunkId: HEADER.chunkId,
          createdAt: HEADER.createdAt,
        });
        expect(readAll(r)).toEqual(records);
        expect(records.map((_, i) => r.record(i))).toEqual(records);
        r.verify();
        r.close();
        unlinkSync(path);
      }),
      { numRuns: 60 },
    );
  });

  test("block directory describes each block", () => {
    using dir = tempDir();
    const records = simpleRecords(50, (i) => 1_000 + i * 10);
    writeSegment(dir.file("a.seg"), HEADER, batches(records, 7), { ...DEFAULT_SEGMENT_OPTIONS, blockRawBytes: 200 }, []);
    const r = SegmentReader.open(dir.file("a.seg"));
    const infos = r.blocks().map((b) => ({ first: b.first, count: b.count, writeTs: b.writeTs, eventTs: b.eventTs, ingestTs: b.ingestTs }));
    const expected = infos.map((b) => {
      const rs = records.slice(b.first, b.first + b.count);
      return { first: b.first, count: rs.length, writeTs: range(rs.map((x) => x.writeTs)), eventTs: range(rs.map(eventTime)), ingestTs: range(rs.map((x) => x.ingestTs)) };
    });
    expect({ blocks: infos.length > 3, infos, total: infos.reduce((n, b) => n + b.count, 0) }).toEqual({ blocks: true, infos: expected, total: 50 });
    r.close();
  });

  test("an empty segment opens and reads as empty", () => {
    using dir = tempDir();
    const s = writeSegment(dir.file("e.seg"), HEADER, [], DEFAULT_SEGMENT_OPTIONS, []);
    const r = SegmentReader.open(dir.file("e.seg"));
    expect({ count: r.count(), blocks: r.blocks(), all: readAll(r), lb: r.lowerBoundWriteTs(5), s: s.blocks }).toEqual({ count: 0, blocks: [], all: [], lb: 0, s: 0 });
    r.close();
  });

  test("leaves no temporary file and rejects bad input without leaving a segment", () => {
    using dir = tempDir();
    writeSegment(dir.file("ok.seg"), HEADER, batches(simpleRecords(3), 3), DEFAULT_SEGMENT_OPTIONS, []);
    const bad = [{ ...simpleRecords(1)[0]!, writeTs: 1.5 }];
    const errors = [
      () => writeSegment(dir.file("b1.seg"), HEADER, batches(bad, 1), DEFAULT_SEGMENT_OPTIONS, []),
      () => writeSegment(dir.file("b2.seg"), HEADER, [], { ...DEFAULT_SEGMENT_OPTIONS, blockRawBytes: 0 }, []),
      () => writeSegment(dir.file("b3.seg"), HEADER, [], { ...DEFAULT_SEGMENT_OPTIONS, level: 99 }, []),
      () => writeSegment(dir.file("b4.seg"), { chunkId: "x".repeat(500), createdAt: 0 }, [], DEFAULT_SEGMENT_OPTIONS, []),
    ].map((f) => {
      try {
        f();
        return "no error";
      } catch (err) {
        return err instanceof LogError ? err.code : String(err);
      }
    });
    expect({ errors, files: readdirSync(dir.path) }).toEqual({ errors: Array(4).fill("invalid_argument"), files: ["ok.seg"] });
  });

  test("an open reader keeps working after the file is deleted", () => {
    using dir = tempDir();
    const records = simpleRecords(20);
    writeSegment(dir.file("d.seg"), HEADER, batches(records, 20), DEFAULT_SEGMENT_OPTIONS, []);
    const r = SegmentReader.open(dir.file("d.seg"));
    unlinkSync(dir.file("d.seg"));
    expect(readAll(r)).toEqual(records);
    r.close();
    expect(() => r.record(0)).toThrow("closed");
  });
});

describe("segment positions and time", () => {
  const records = simpleRecords(300, (i) => 5_000 + Math.floor(i / 4) * 100);
  const dir = tempDir();
  let r: SegmentReader;
  beforeAll(() => {
    writeSegment(dir.file("p.seg"), HEADER, batches(records, 64), { ...DEFAULT_SEGMENT_OPTIONS, blockRawBytes: 500 }, []);
    r = SegmentReader.open(dir.file("p.seg"));
  });
  afterAll(() => {
    r.close();
    dir[Symbol.dispose]();
  });

  test("property: batches(from, to) yields exactly records [from, to) with right positions", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 310 }), fc.integer({ min: -5, max: 310 }), (from, to) => {
        const got = [...r.batches(from, to)];
        const lo = Math.max(0, from);
        const hi = Math.min(300, to);
        expect(got.map((b) => b.first)).toEqual(got.map((_, k) => (k === 0 ? lo : got[k - 1]!.first + got[k - 1]!.count)));
        expect(readAll(r, from, to)).toEqual(records.slice(lo, Math.max(lo, hi)));
      }),
      { numRuns: 150 },
    );
  });

  test("property: lowerBoundWriteTs matches a linear scan", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4_000, max: 13_000 }), (ts) => {
        const oracle = records.findIndex((x) => x.writeTs >= ts);
        expect(r.lowerBoundWriteTs(ts)).toBe(oracle === -1 ? records.length : oracle);
      }),
      { numRuns: 300 },
    );
  });

  /** Records [0, 300) of `reader` read through `reuse`, each batch read before the next is asked for; the batches' buffers. */
  function readLent(reader: SegmentReader, reuse: DecodeBuffer): { records: LogRecord[]; buffers: ArrayBufferLike[] } {
    const out = { records: [] as LogRecord[], buffers: [] as ArrayBufferLike[] };
    for (const b of reader.batches(0, 300, reuse)) {
      out.buffers.push(b.data.buffer);
      for (let i = 0; i < b.count; i++) out.records.push(recordAt(b, i));
    }
    return out;
  }

  test("batches with a lent buffer and no room in the cache: the same records, all decoded into that buffer, nothing cached", () => {
    const cache = new ByteCache(100); // smaller than any block
    const lent = SegmentReader.open(dir.file("p.seg"), cache);
    try {
      const reuse: DecodeBuffer = { bytes: new Uint8Array(0) };
      for (let pass = 0; pass < 3; pass++) {
        const got = readLent(lent, reuse);
        expect(got.records).toEqual(records);
        expect(got.buffers.every((b) => b === reuse.bytes.buffer)).toBe(true);
      }
      expect(cache.size).toBe(0);
    } finally {
      lent.close();
    }
  });

  test("batches with a lent buffer and room in the cache: blocks are kept from their second use on, then served from it", () => {
    const cache = new ByteCache();
    const lent = SegmentReader.open(dir.file("p.seg"), cache);
    try {
      const reuse: DecodeBuffer = { bytes: new Uint8Array(0) };
      const first = readLent(lent, reuse);
      expect(first.buffers.every((b) => b === reuse.bytes.buffer)).toBe(true);
      expect(cache.size).toBe(0);
      const second = readLent(lent, reuse);
      expect(second.buffers.some((b) => b === reuse.bytes.buffer)).toBe(false);
      expect(cache.size).toBe(lent.blocks().length);
      const third = readLent(lent, reuse);
      expect(third.buffers).toEqual(second.buffers); // the cached blocks themselves
      for (const r of [first, second, third]) expect(r.records).toEqual(records);
    } finally {
      lent.close();
    }
  });

  test("record() rejects positions out of range", () => {
    expect([-1, 300, 1.5].map((p) => thrownCode(() => r.record(p)))).toEqual(["invalid_argument", "invalid_argument", "invalid_argument"]);
  });
});

describe("sections and builders", () => {
  test("sections round-trip, 8-aligned, read whole or by range, fed every record", () => {
    using dir = tempDir();
    const records = simpleRecords(40);
    const builders = [countingBuilder("tokens"), countingBuilder("attrs", "capped"), { name: "empty", add: () => {}, finish: () => ({ bytes: new Uint8Array(0), status: "complete" as const }) }];
    const s = writeSegment(dir.file("s.seg"), HEADER, batches(records, 9), DEFAULT_SEGMENT_OPTIONS, builders);
    const r = SegmentReader.open(dir.file("s.seg"));
    const text = (name: string) => new TextDecoder().decode(r.readSection(name, 0, r.sectionLength(name)!));
    expect({
      status: s.indexStatus,
      errors: s.sectionErrors,
      indexBytes: [s.indexBytes, r.summary.indexBytes],
      names: r.sectionNames(),
      tokens: text("tokens"),
      attrs: text("attrs"),
      empty: r.readSection("empty", 0, 0),
      range: new TextDecoder().decode(r.readSection("tokens", 2, 5)),
      outside: (() => { try { return r.readSection("tokens", 5, 20); } catch (e) { return (e as LogError).code; } })(),
      missing: [r.sectionLength("nope"), (() => { try { return r.readSection("nope", 0, 0); } catch (e) { return (e as LogError).code; } })()],
      aligned: ["tokens", "attrs", "empty"].map((n) => r.sectionOffset(n)! % 8),
      readerStatus: r.summary.indexStatus,
    }).toEqual({
      status: "capped",
      errors: [],
      indexBytes: [17, 17],
      names: ["tokens", "attrs", "empty", "event-cells"], // the writer's own summary last, not counted as index bytes
      tokens: "tokens:40",
      attrs: "attrs:40",
      empty: new Uint8Array(0),
      range: "kens:",
      outside: "invalid_argument",
      missing: [undefined, "not_found"],
      aligned: [0, 0, 0],
      readerStatus: "capped",
    });
    r.verify();
    r.close();
  });

  test("failing or misnamed builders are dropped, the segment is still written", () => {
    using dir = tempDir();
    const records = simpleRecords(10);
    const throwsInAdd: SectionBuilder = { name: "add", add: () => { throw new Error("boom in add"); }, finish: () => ({ bytes: new Uint8Array(1), status: "complete" }) };
    const throwsInFinish: SectionBuilder = { name: "fin", add: () => {}, finish: () => { throw new Error("boom in finish"); } };
    const builders = [throwsInAdd, countingBuilder("good"), throwsInFinish, countingBuilder("bad\nname"), countingBuilder("good")];
    const s = writeSegment(dir.file("f.seg"), HEADER, batches(records, 3), DEFAULT_SEGMENT_OPTIONS, builders);
    const r = SegmentReader.open(dir.file("f.seg"));
    expect({ status: s.indexStatus, errors: s.sectionErrors, names: r.sectionNames(), good: new TextDecoder().decode(r.readSection("good", 0, r.sectionLength("good")!)), all: readAll(r), readerStatus: r.summary.indexStatus }).toEqual({
      status: "failed",
      errors: [
        'section "bad\nname": name must be 1-64 printable ASCII characters',
        'section "good": duplicate name',
        'section "add": boom in add',
        'section "fin": boom in finish',
      ],
      names: ["good", "event-cells"],
      good: "good:10",
      all: records,
      readerStatus: "failed",
    });
    r.close();
  });

  test("no builders gives index status none; all complete gives complete", () => {
    using dir = tempDir();
    const a = writeSegment(dir.file("a.seg"), HEADER, [], DEFAULT_SEGMENT_OPTIONS, []);
    const b = writeSegment(dir.file("b.seg"), HEADER, [], DEFAULT_SEGMENT_OPTIONS, [countingBuilder("x")]);
    expect([a.indexStatus, b.indexStatus, existsSync(dir.file("b.seg.tmp"))]).toEqual(["none", "complete", false]);
  });
});
