import { expect, test } from "bun:test";
import { explainAnalyze } from "../../query/engine/explain.ts";
import { parseExpr } from "../../query/lang/parser.ts";
import { openMemoryStore } from "./engine.ts";
import { warmStore } from "./warmup.ts";

const enc = new TextEncoder();

test("warm-up opens every sealed chunk's index heads: the first query then reads only dictionary blocks", async () => {
  const o = openMemoryStore("warm", { rotation: { maxRecords: 40 } });
  for (let i = 0; i < 200; i++) await o.store.append([{ raw: enc.encode(`line ${i} error word${i % 13}`), attrs: {}, sourceTs: 0, ingestTs: 1_700_000_000_000_000 + i * 1000 }]);
  await o.store.seal();
  const ac = new AbortController();
  const r = await warmStore(o, ac.signal);
  const plan = await explainAnalyze(o.source, { expr: parseExpr("needle_f00d"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  expect({
    warmed: [r.chunks, r.error],
    // Each chunk: one read (its dictionary block), no head read.
    reads: plan.chunks.map((c) => c.actual?.indexReads),
  }).toEqual({ warmed: [5, undefined], reads: [1, 1, 1, 1, 1] });
  ac.abort();
  const aborted = await warmStore(o, ac.signal);
  expect([aborted.chunks, aborted.error]).toEqual([0, undefined]);
  await o.close();
});
