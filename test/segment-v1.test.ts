/**
 * Segments written before the blocked index format (version 1, test/fixtures/segment-v1) stay
 * readable and searchable: a store holding them opens, its index sections are used (not just
 * scanned around), generated queries answer exactly as the scan oracle says, and a group-by
 * count (which their indexes cannot answer: they list no spellings) is counted from the records,
 * and so is a count by bin() (they predate the event-cells section).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { searchSource } from "../src/app/search-source.ts";
import { HEAD_PROBE_BYTES } from "../src/index/format.ts";
import type { LogRecord } from "../src/core/record.ts";
import { explainAnalyze } from "../src/query/engine/explain.ts";
import { search } from "../src/query/engine/search.ts";
import type { SearchRequest } from "../src/query/engine/types.ts";
import { parseExpr } from "../src/query/lang/parser.ts";
import { printExpr } from "../src/query/lang/printer.ts";
import { MAX_DNF_BRANCHES } from "../src/query/lang/dnf.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import type { FileStore } from "../src/storage/file/file-store.ts";
import { SegmentReader } from "../src/storage/segment/reader.ts";
import { EVENT_CELLS_SECTION } from "../src/storage/event-cells.ts";
import { oracleField, oracleMatches } from "./support/oracle.ts";
import { tableQuery } from "../src/query/engine/aggregate/table-query.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import { dnfBranches, queryArb, vocabulary } from "./support/query-gen.ts";

const FIXTURES = join(import.meta.dir, "fixtures", "segment-v1");
const segments = readdirSync(FIXTURES).filter((f) => f.endsWith(".seg")).sort();
let dir = "";
let store: FileStore;
const all: { chunk: string; pos: number; record: LogRecord }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "segment-v1-"));
  mkdirSync(join(dir, "sealed"), { recursive: true });
  for (const f of segments) copyFileSync(join(FIXTURES, f), join(dir, "sealed", f));
  store = await openFileStore(dir, { name: "default" });
  for (const c of store.chunks()) {
    const r = store.open(c.id);
    for (let p = 0; p < r.count(); p++) all.push({ chunk: c.id, pos: p, record: r.record(p) });
    r.close();
  }
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (text: string, reverse = false): SearchRequest => ({ expr: parseExpr(text), limit: 0, reverse, contextBefore: 0, contextAfter: 0 });

async function refs(req: SearchRequest): Promise<string[]> {
  const out: string[] = [];
  for await (const h of search(searchSource("default", store), req)) out.push(`${h.ref.chunk}:${h.ref.pos}`);
  return out;
}

describe("version-1 segments", () => {
  test("the fixtures are version-1 segments with complete indexes, opened as a store", () => {
    const versions = segments.map((f) => {
      const r = SegmentReader.open(join(dir, "sealed", f));
      const v = r.version;
      r.close();
      return v;
    });
    expect({ versions, chunks: store.chunks().map((c) => [c.state, c.indexStatus]), records: all.length }).toEqual({
      versions: [1, 1],
      chunks: [["sealed", "complete"], ["sealed", "complete"]],
      records: 2300,
    });
  });

  test("their indexes answer: a token query is index-driven, reading each token section whole", async () => {
    const word = all.map((x) => new TextDecoder().decode(x.record.raw)).join(" ").match(/\b(generated|error|connection|failed)\b/i)![0];
    const plan = await explainAnalyze(searchSource("default", store), request(word));
    const tokenSection = (chunk: string) => {
      const r = store.open(chunk);
      const n = r.sectionSize("idx.tokens")!;
      r.close();
      return n;
    };
    // A version-1 section is read whole (its CRC covers only the whole), after the first read
    // that tells its version unless that read was the whole section already.
    const whole = (n: number) => (n <= HEAD_PROBE_BYTES ? n : HEAD_PROBE_BYTES + n);
    expect(plan.chunks.map((c) => [c.scanMode === "index-driven" || c.scanMode === "skipped", c.actual?.indexBytes])).toEqual(
      plan.chunks.map((c) => [true, whole(tokenSection(c.chunk))]),
    );
  });

  test("generated queries answer as the scan oracle says, forward and reverse", async () => {
    const vocab = vocabulary(all.map((x) => x.record));
    await fc.assert(
      fc.asyncProperty(queryArb(vocab), fc.boolean(), async (expr, reverse) => {
        const reparsed = parseExpr(printExpr(expr));
        if (dnfBranches(reparsed) > MAX_DNF_BRANCHES) return;
        const want = all.filter((x) => oracleMatches(reparsed, x.record)).map((x) => `${x.chunk}:${x.pos}`);
        expect({ query: printExpr(reparsed), got: await refs({ ...request("x"), expr: reparsed, reverse }) }).toEqual({ query: printExpr(reparsed), got: reverse ? want.reverse() : want });
      }),
      { numRuns: 150, seed: 1126 },
    );
  }, 60_000); // 150 queries take 3-6 s on a loaded 2-core machine

  test("count() by a field reads the records (their indexes list no spellings) and counts as the oracle does", async () => {
    const src = searchSource("default", store);
    const key = "msg"; // logfmt lines hold it, no attribute does
    for (const c of store.chunks()) {
      const view = store.open(c.id);
      const indexes = await src.indexes(view, c);
      expect(await indexes!.fieldValues(key)).toBeUndefined();
      view.close();
    }
    const want = new Map<string | null, number>();
    for (const x of all) {
      const v = oracleField(x.record, key) ?? null;
      want.set(v, (want.get(v) ?? 0) + 1);
    }
    expect(want.size).toBeGreaterThan(1);
    const q = parseQueryArgs(`* | stats count() by ${key}`, 0);
    const { table } = await tableQuery([src], { expr: q.expr, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages);
    expect(new Map(table.rows.map((r) => [r[0] as string | null, r[1] as number]))).toEqual(want);
  });

  test("count() by bin() over segments without an event-cells section reads the blocks a boundary cuts and counts as the oracle does", async () => {
    const src = searchSource("default", store);
    const times = all.map((x) => (x.record.sourceTs !== 0 ? x.record.sourceTs : x.record.ingestTs));
    const width = Math.max(1, Math.ceil((Math.max(...times) - Math.min(...times)) / 7 / 1e6)) * 1e6;
    let cut = 0;
    for (const c of store.chunks()) {
      const view = store.open(c.id);
      expect(view.sectionSize(EVENT_CELLS_SECTION)).toBeUndefined();
      for (const b of view.blocks()) if (Math.floor(b.eventTs.min / width) !== Math.floor(b.eventTs.max / width)) cut++;
      view.close();
    }
    expect(cut).toBeGreaterThan(0);
    const want = new Map<number, number>();
    for (const t of times) want.set(Math.floor(t / width) * width, (want.get(Math.floor(t / width) * width) ?? 0) + 1);
    const q = parseQueryArgs(`* | stats count() by bin(${width / 1e6}s)`, 0);
    const { table } = await tableQuery([src], { expr: q.expr, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages);
    expect(table.rows).toEqual([...want].sort((a, b) => a[0] - b[0]));
  });
});
