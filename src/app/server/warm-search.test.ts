/** The warm-up search: bounded to the newest indexed chunks, reads no record, stops on abort and before a scan. */

import { expect, test } from "bun:test";
import { explainAnalyze } from "../../query/engine/explain.ts";
import { parseExpr } from "../../query/lang/parser.ts";
import { openMemoryStore } from "./engine.ts";
import { WARM_WORD, warmSearch, warmWithin } from "./warm-search.ts";

const enc = new TextEncoder();

async function storeOf(line: (i: number) => string) {
  const o = openMemoryStore("ws", { rotation: { maxRecords: 40 } });
  for (let i = 0; i < 200; i++) await o.store.append([{ raw: enc.encode(line(i)), attrs: {}, sourceTs: 0, ingestTs: 1_700_000_000_000_000 + i * 1000 }]);
  await o.store.seal();
  return o;
}

test("walks at most the newest N indexed chunks, reading index parts only: those chunks' heads are cached afterwards", async () => {
  const o = await storeOf((i) => `line ${i} error word${i % 13}`);
  const r = await warmSearch(o.source, 3, new AbortController().signal);
  const plan = await explainAnalyze(o.source, { expr: parseExpr("error"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  expect({
    chunks: r.chunks,
    read: r.bytes > 0,
    // The two oldest chunks: head and block read; the three newest: head cached, their one block too.
    reads: plan.chunks.map((c) => c.actual?.indexReads),
  }).toEqual({ chunks: 3, read: true, reads: [2, 2, 0, 0, 0] });
  await o.close();
});

test("an aborted warm-up search stops with a cancel", async () => {
  const o = await storeOf((i) => `line ${i}`);
  const ac = new AbortController();
  ac.abort();
  await expect(warmSearch(o.source, 64, ac.signal)).rejects.toMatchObject({ code: "cancelled" });
  await o.close();
});

test("stops with an error instead of scanning a chunk where its word is too frequent for the index", async () => {
  const o = await storeOf((i) => `line ${i} ${WARM_WORD}`);
  await expect(warmSearch(o.source, 64, new AbortController().signal)).rejects.toThrow(/would scan/);
  await o.close();
});

test("within a budget: one pass over the newest chunks; a spent budget opens none", async () => {
  const o = await storeOf((i) => `line ${i} error word${i % 13}`);
  expect(await warmWithin(o.source, 64, 0, new AbortController().signal)).toBe(0);
  expect(await warmWithin(o.source, 3, 60_000, new AbortController().signal)).toBe(3);
  const plan = await explainAnalyze(o.source, { expr: parseExpr("error"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  // The three newest chunks' heads and the block holding "error" were read by the pass.
  expect(plan.chunks.map((c) => c.actual?.indexReads)).toEqual([2, 2, 0, 0, 0]);
  await o.close();
});
