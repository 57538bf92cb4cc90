import { expect, test } from "bun:test";
import { explainAnalyze } from "../../query/engine/explain.ts";
import { parseExpr } from "../../query/lang/parser.ts";
import { openMemoryStore } from "./engine.ts";
import { warmStore } from "./warmup.ts";

const enc = new TextEncoder();

/** A line with ~60 distinct words, so each chunk's dictionary spans several 8 KB blocks. */
const wordy = (i: number) => `line ${i} error ` + Array.from({ length: 60 }, (_, k) => `w${i}x${k}`).join(" ");

test("warm-up searches the chunks and opens every sealed chunk's index heads: the first needle query then reads only its dictionary block", async () => {
  const o = openMemoryStore("warm", { rotation: { maxRecords: 40 } });
  for (let i = 0; i < 200; i++) await o.store.append([{ raw: enc.encode(wordy(i)), attrs: {}, sourceTs: 0, ingestTs: 1_700_000_000_000_000 + i * 1000 }]);
  await o.store.seal();
  const ac = new AbortController();
  const r = await warmStore(o, ac.signal);
  // "f_needle" falls in the first dictionary block, the warm-up's word in the last: different blocks.
  const plan = await explainAnalyze(o.source, { expr: parseExpr("f_needle"), limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
  expect({
    warmed: [r.searched, r.chunks, r.error],
    // Each chunk: one read (its dictionary block), no head read.
    reads: plan.chunks.map((c) => c.actual?.indexReads),
  }).toEqual({ warmed: [5, 5, undefined], reads: [1, 1, 1, 1, 1] });
  ac.abort();
  const aborted = await warmStore(o, ac.signal);
  expect([aborted.chunks, aborted.error]).toEqual([0, undefined]);
  await o.close();
});
