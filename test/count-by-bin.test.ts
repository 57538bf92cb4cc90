/**
 * `count() by bin(W)` over a file store with small blocks whose records' event times are out of
 * order and carry sub-second parts (some only an ingest time), in sealed and active chunks:
 * equal to a naive count for whole-second widths (blocks a boundary cuts are counted from the
 * segments' event-cells sections, decompressing no sealed block), for widths whose boundaries
 * fall inside a second (those blocks are read), for a filtered count (the hits' times come from
 * the timestamp columns alone, not the payloads), under time bounds that cut blocks, and after
 * the event-cells section of a segment is damaged (a warning; its blocks are read instead).
 * Older segments without the section: test/segment-v1.test.ts.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { searchSource } from "../src/app/search-source.ts";
import { withQueryCost, type QueryCost } from "../src/observability/query-cost.ts";
import { tableQuery } from "../src/query/engine/aggregate/table-query.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import type { RecordInput } from "../src/core/record.ts";
import { indexSectionBuilders } from "../src/index/builders.ts";
import { EVENT_CELLS_SECTION } from "../src/storage/event-cells.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import type { FileStore } from "../src/storage/file/file-store.ts";
import { SegmentReader } from "../src/storage/segment/reader.ts";

const T0 = 1_700_000_000_000_000;
const N = 4000;
const enc = new TextEncoder();

/**
 * Event times 37 ms apart on average, jittered by up to 90 ms, every 50th 3 s early (out of
 * order), fractions of a second; every 7th record has no source time (its ingest time counts).
 */
const records: RecordInput[] = Array.from({ length: N }, (_, i) => {
  const t = T0 + 3_000_000 + i * 37_000 + ((i * 7919) % 90_001) - (i % 50 === 0 ? 3_000_000 : 0);
  return { raw: enc.encode(`request ${i} took ${(i * 37) % 1000} ms`), attrs: {}, sourceTs: i % 7 === 0 ? 0 : t, ingestTs: t + 13 };
});
const eventTime = (r: RecordInput) => (r.sourceTs !== 0 ? r.sourceTs : r.ingestTs);

let dir = "";
let store: FileStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "count-bin-"));
  store = await openFileStore(join(dir, "s"), { rotation: { maxRecords: 1500 }, sectionBuilders: indexSectionBuilders(), durability: { kind: "never" }, blockRawBytes: 4096 });
  for (let i = 0; i < N; i += 250) await store.append(records.slice(i, i + 250));
  await store.idle();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** [bucket, count] rows of the records in [start, end), by bucket. */
function oracle(width: number, start?: number, end?: number): [number, number][] {
  const m = new Map<number, number>();
  for (const r of records) {
    const t = eventTime(r);
    if ((start !== undefined && t < start) || (end !== undefined && t >= end)) continue;
    const b = Math.floor(t / width) * width;
    m.set(b, (m.get(b) ?? 0) + 1);
  }
  return [...m].sort((a, b) => a[0] - b[0]);
}

async function countByBin(width: string, start?: number, end?: number, filter = "*"): Promise<{ rows: unknown[][]; blocks: number; bytes: number; warnings: string[] }> {
  const q = parseQueryArgs(`${filter} | stats count() by bin(${width})`, 0);
  const cost: QueryCost = { blocks: 0, bytes: 0 };
  const warnings: string[] = [];
  const { table } = await withQueryCost(cost, () =>
    tableQuery([searchSource("default", store)], { expr: q.expr, start, end, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages, { parallel: "never", onWarning: (w) => warnings.push(w) }),
  );
  return { rows: table.rows as unknown[][], blocks: cost.blocks, bytes: cost.bytes, warnings };
}

/** Sealed blocks whose event times a boundary of `width` cuts. */
function cutBlocks(width: number): number {
  let cut = 0;
  for (const c of store.chunks()) {
    if (c.state !== "sealed") continue;
    const r = store.open(c.id);
    for (const b of r.blocks()) if (Math.floor(b.eventTs.min / width) !== Math.floor(b.eventTs.max / width)) cut++;
    r.close();
  }
  return cut;
}

/** Raw (decompressed) bytes of the sealed blocks whose event times a boundary of `width` cuts. */
function sealedCutRaw(width: number): number {
  let raw = 0;
  for (const c of store.chunks()) {
    if (c.state !== "sealed") continue;
    const r = SegmentReader.open(store.segmentPath(c.id));
    for (const b of r.blocks()) if (Math.floor(b.eventTs.min / width) !== Math.floor(b.eventTs.max / width)) raw += b.rawLen;
    r.close();
  }
  return raw;
}

describe("count() by bin() from event cells", () => {
  test("the store holds sealed chunks with an event-cells section and an active chunk", () => {
    const states = store.chunks().map((c) => c.state);
    const sections = store.chunks().filter((c) => c.state === "sealed").map((c) => store.open(c.id).sectionSize(EVENT_CELLS_SECTION) !== undefined);
    expect({ states, sections }).toEqual({ states: ["sealed", "sealed", "active"], sections: [true, true] });
  });

  test("whole-second widths: blocks a boundary cuts are counted from the cells, no sealed block is decompressed", async () => {
    for (const [text, width] of [["5s", 5_000_000], ["1m", 60_000_000], ["1s", 1_000_000]] as const) {
      expect(cutBlocks(width)).toBeGreaterThan(0);
      const { rows, blocks, warnings } = await countByBin(text);
      expect({ text, rows, blocks, warnings }).toEqual({ text, rows: oracle(width), blocks: 0, warnings: [] });
    }
  });

  test("a width whose boundaries fall inside a second reads the blocks it cuts and counts the same", async () => {
    const got = await countByBin("1500ms");
    expect(got.rows).toEqual(oracle(1_500_000));
    expect(got.blocks).toBeGreaterThan(0);
  });

  test("a filtered count reads only the timestamp columns of the sealed blocks a boundary cuts, not their payloads", async () => {
    const got = await countByBin("1500ms", undefined, undefined, "request");
    const raw = sealedCutRaw(1_500_000);
    expect(got.rows).toEqual(oracle(1_500_000));
    expect({ read: got.blocks > 0, columnsOnly: got.bytes * 2 < raw }).toEqual({ read: true, columnsOnly: true });
  });

  test("time bounds that cut blocks, on whole seconds and inside a second", async () => {
    for (const [start, end] of [
      [T0 + 12_000_000, T0 + 98_000_000],
      [T0 + 12_345_678, T0 + 98_000_001],
      [undefined, T0 + 50_250_000],
      [T0 + 100_000_000, undefined],
    ] as const) {
      const got = await countByBin("10s", start, end);
      expect({ start, end, rows: got.rows }).toEqual({ start, end, rows: oracle(10_000_000, start, end) });
    }
  });

  test("a damaged event-cells section is a warning: its blocks are read and the counts stay right", async () => {
    const sealed = store.chunks().find((c) => c.state === "sealed")!;
    const path = store.segmentPath(sealed.id);
    const r = SegmentReader.open(path);
    const at = r.sectionOffset(EVENT_CELLS_SECTION)!;
    r.close();
    const fd = openSync(path, "r+");
    writeSync(fd, new Uint8Array([0xff, 0xff]), 0, 2, at + 2);
    closeSync(fd);
    const got = await countByBin("5s");
    expect(got.rows).toEqual(oracle(5_000_000));
    expect(got.warnings.length).toBe(1);
    expect(got.warnings[0]).toContain("event-time summary unreadable");
  });
});
