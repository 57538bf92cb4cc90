/**
 * Queries while ingestion continues, on a real file store with the worker sealer: many searches
 * run at once with appends and seals in between, each sees a consistent prefix of the data, and
 * resume tokens stay valid across new appends and seals.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type OpenedStore } from "../src/app/stores.ts";
import { parseExpr } from "../src/query/lang/parser.ts";
import { search } from "../src/query/engine/search.ts";
import type { SearchHit, SearchRequest } from "../src/query/engine/types.ts";

const enc = new TextEncoder();
let dir = "";
let opened: OpenedStore;
let appended = 0;

function line(i: number): string {
  return `${i % 10 === 0 ? "ERROR" : "info"} seq=${i} worker-${i % 7} done`;
}

async function appendSome(n: number): Promise<void> {
  const batch = [];
  for (let k = 0; k < n; k++, appended++) batch.push({ raw: enc.encode(line(appended)), attrs: { shard: String(appended % 3) }, sourceTs: 0, ingestTs: 1_000_000 + appended });
  await opened.store.append(batch);
}

async function collect(req: SearchRequest): Promise<{ hits: SearchHit[]; resume?: string }> {
  const hits: SearchHit[] = [];
  const it = search(opened.source, req);
  for (;;) {
    const r = await it.next();
    if (r.done) return { hits, resume: r.value.resume };
    hits.push(r.value);
  }
}

function seqs(hits: SearchHit[]): number[] {
  return hits.map((h) => Number(/seq=(\d+)/.exec(new TextDecoder().decode(h.record.raw))![1]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "conc-"));
  opened = await openStore(dir, "default", { rotation: { maxRecords: 2000 }, durability: { kind: "never" } });
  for (let i = 0; i < 10; i++) await appendSome(1000);
  await opened.store.idle();
});

afterAll(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

test("concurrent searches during appends and seals each return an ordered, complete prefix", async () => {
  const req: SearchRequest = { expr: parseExpr("error"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 };
  const writer = (async () => {
    for (let i = 0; i < 20; i++) await appendSome(500);
  })();
  const results = await Promise.all(Array.from({ length: 8 }, () => collect(req)));
  await writer;
  await opened.store.idle();
  for (const r of results) {
    const s = seqs(r.hits);
    // Every ERROR line up to the last one seen, in order, none missing or repeated.
    expect(s).toEqual(Array.from({ length: s.length }, (_, k) => k * 10));
    expect(s.length).toBeGreaterThanOrEqual(1000);
  }
  const final = seqs((await collect(req)).hits);
  expect(final.length).toBe(appended / 10);
  // seq=N has a value per record: that key overflows its value cap, the index stays complete.
  const sealed = opened.store.chunks().filter((c) => c.state === "sealed");
  expect(sealed.length).toBeGreaterThan(5);
  expect(new Set(sealed.map((c) => c.indexStatus))).toEqual(new Set(["complete"]));
});

test("resume tokens stay valid across appends and seals between pages", async () => {
  const req: SearchRequest = { expr: parseExpr("worker-3"), limit: 250, reverse: false, contextBefore: 0, contextAfter: 0 };
  const got: number[] = [];
  let resume: string | undefined;
  let pages = 0;
  do {
    const page = await collect({ ...req, resume });
    got.push(...seqs(page.hits));
    resume = page.resume;
    if (resume !== undefined && pages++ % 2 === 0) {
      await appendSome(700);
      await opened.store.seal();
    }
  } while (resume !== undefined);
  expect(got).toEqual(Array.from({ length: got.length }, (_, k) => 3 + k * 7));
  expect(got.length).toBe(Math.floor((appended - 4) / 7) + 1);
});
