/**
 * Damaged segment files: every kind of damage must surface as CorruptError naming the file and
 * a plausible offset, either at open() or at the first read/verify of the damaged part, and a
 * damaged block must not stop reads of the others.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { CorruptError } from "../../core/errors.ts";
import type { LogRecord } from "../../core/record.ts";
import { batchFromRecords, recordAt } from "../record-batch.ts";
import { FOOTER_SIZE } from "./format.ts";
import { SegmentReader } from "./reader.ts";
import { simpleRecords, tempDir } from "./test-support.ts";
import { DEFAULT_SEGMENT_OPTIONS, writeSegment } from "./writer.ts";

const records = simpleRecords(120);
const dir = tempDir();
const good = dir.file("good.seg");
let bytes: Uint8Array;
let layout: { blocks: { offset: number; first: number; count: number }[]; section: number; dirOffset: number };

beforeAll(() => {
  const section = { name: "idx", add: () => {}, finish: () => ({ bytes: new Uint8Array(64).fill(7), status: "complete" as const }) };
  writeSegment(good, { chunkId: "c1", createdAt: 1 }, [batchFromRecords(0, records)], { ...DEFAULT_SEGMENT_OPTIONS, blockRawBytes: 600 }, [section]);
  bytes = new Uint8Array(readFileSync(good));
  const r = SegmentReader.open(good);
  const blocks = r.blocks().map((b) => ({ offset: b.offset, first: b.first, count: b.count }));
  const sectionOffset = r.sectionOffset("idx")!;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  layout = { blocks, section: sectionOffset, dirOffset: Number(v.getBigUint64(bytes.length - FOOTER_SIZE, true)) };
  r.close();
});
afterAll(() => dir[Symbol.dispose]());

/** Writes a copy of the good file with byte `at` inverted; returns its path. */
function flipped(at: number, name = "bad.seg"): string {
  const b = bytes.slice();
  b[at] = b[at]! ^ 0xff;
  writeFileSync(dir.file(name), b);
  return dir.file(name);
}

/** The CorruptError's path and offset from running `fn`, or a description of what happened. */
function damage(fn: () => unknown): { path: string; offset: number } | string {
  try {
    fn();
    return "no error";
  } catch (err) {
    return err instanceof CorruptError ? { path: err.path, offset: err.offset } : `other error: ${String(err)}`;
  }
}

function openAndVerify(path: string): void {
  const r = SegmentReader.open(path);
  try {
    r.verify();
  } finally {
    r.close();
  }
}

function readAll(r: SegmentReader, from: number, to: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (const b of r.batches(from, to)) for (let i = 0; i < b.count; i++) out.push(recordAt(b, i));
  return out;
}

describe("corruption detected at open()", () => {
  test.each([
    { name: "wrong magic", at: () => 0, offset: () => 0 },
    { name: "header byte (chunk ID)", at: () => 18, offset: () => 20 },
    { name: "directory byte", at: () => layout.dirOffset + 5, offset: () => layout.dirOffset },
    { name: "footer field", at: () => bytes.length - FOOTER_SIZE + 2, offset: () => bytes.length - FOOTER_SIZE },
    { name: "footer magic", at: () => bytes.length - 1, offset: () => bytes.length - 4 },
  ])("$name", ({ at, offset }) => {
    const path = flipped(at());
    expect(damage(() => SegmentReader.open(path))).toEqual({ path, offset: offset() });
  });

  test("unknown version", () => {
    const b = bytes.slice();
    b[4] = 3;
    writeFileSync(dir.file("v.seg"), b);
    expect(damage(() => SegmentReader.open(dir.file("v.seg")))).toEqual({ path: dir.file("v.seg"), offset: 4 });
  });

  test.each([
    { name: "to zero bytes", size: () => 0 },
    { name: "to 10 bytes", size: () => 10 },
    { name: "by half", size: () => Math.floor(bytes.length / 2) },
    { name: "by one byte", size: () => bytes.length - 1 },
  ])("truncated $name", ({ size }) => {
    const path = dir.file("t.seg");
    copyFileSync(good, path);
    truncateSync(path, size());
    const got = damage(() => SegmentReader.open(path));
    expect(typeof got === "object" && got.path === path && got.offset >= 0 && got.offset <= size()).toBe(true);
  });
});

describe("corruption detected on read", () => {
  test("a damaged block fails its reads and verify(), other blocks still read", () => {
    expect(layout.blocks.length).toBeGreaterThan(3);
    const hit = layout.blocks[1]!;
    const path = flipped(hit.offset + 3);
    const r = SegmentReader.open(path);
    const where = { path, offset: hit.offset };
    const last = layout.blocks[layout.blocks.length - 1]!;
    expect({
      record: damage(() => r.record(hit.first)),
      batches: damage(() => readAll(r, 0, records.length)),
      verify: damage(() => r.verify()),
      before: readAll(r, 0, hit.first),
      after: readAll(r, last.first, records.length),
      single: r.record(hit.first + hit.count),
    }).toEqual({
      record: where,
      batches: where,
      verify: where,
      before: records.slice(0, hit.first),
      after: records.slice(last.first),
      single: records[hit.first + hit.count]!,
    });
    r.close();
  });

  test("a damaged section fails its whole read and verify(), partial range reads return its bytes as stored, data still reads", () => {
    const path = flipped(layout.section + 10);
    const r = SegmentReader.open(path);
    const where = { path, offset: layout.section };
    const stored = new Uint8Array(64).fill(7);
    stored[10] ^= 0xff;
    expect({
      whole: damage(() => r.readSection("idx", 0, 64)),
      range: r.readSection("idx", 0, 63),
      verify: damage(() => r.verify()),
      data: readAll(r, 0, records.length),
    }).toEqual({ whole: where, range: stored.subarray(0, 63), verify: where, data: records });
    r.close();
  });

  test("every single damaged byte is found by open() + verify()", () => {
    const misses: number[] = [];
    for (let at = 0; at < bytes.length; at++) {
      const path = flipped(at, "each.seg");
      const got = damage(() => openAndVerify(path));
      if (typeof got !== "object" || got.path !== path || got.offset < 0 || got.offset > bytes.length) misses.push(at);
    }
    expect(misses).toEqual([]);
  });
});
