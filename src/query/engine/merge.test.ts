import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { eventTime } from "../../core/record.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { parseQueryArgs } from "../lang/controls.ts";
import { followAll } from "./follow-all.ts";
import { searchMerged } from "./merge.ts";
import { encodeMergeToken } from "./merge-token.ts";
import type { ChunkStore } from "../../storage/types.ts";
import type { SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const BASE: SearchRequest = { limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 };

/** Memory stores holding `times[store]` (event times, in order) as records "store@time". */
async function stores(times: Record<string, number[]>, sealEvery = 3): Promise<SearchSource<ChunkStore>[]> {
  const out: SearchSource<ChunkStore>[] = [];
  for (const [name, ts] of Object.entries(times)) {
    const store = createMemoryStore(name, { rotation: { maxRecords: sealEvery } });
    for (const t of ts) await store.append([{ raw: enc.encode(`${name}@${t}`), attrs: {}, sourceTs: t, ingestTs: 1 }]);
    out.push({ name, store, indexes: () => undefined });
  }
  return out;
}

async function run(srcs: SearchSource[], req: SearchRequest): Promise<{ hits: string[]; resume?: string }> {
  const hits: string[] = [];
  const it = searchMerged(srcs, req);
  for (;;) {
    const r = await it.next();
    if (r.done) return { hits, resume: r.value.resume };
    hits.push(label(r.value));
  }
}

function label(h: SearchHit): string {
  return dec.decode(h.record.raw) + (h.context ? "~" : "");
}

async function pages(srcs: SearchSource[], req: SearchRequest): Promise<string[][]> {
  const out: string[][] = [];
  let resume: string | undefined;
  do {
    const page = await run(srcs, resume === undefined ? req : { ...req, resume });
    out.push(page.hits);
    resume = page.resume;
  } while (resume !== undefined);
  return out;
}

describe("searchMerged", () => {
  test("a trailing | head N keeps the first N matches of the merged result, with no resume token", async () => {
    const srcs = await stores({ a: [1, 4, 6, 9], b: [2, 3, 7, 8] });
    const q = parseQueryArgs("| where -a@4 | head 4", 0);
    expect(await run(srcs, { ...BASE, expr: q.expr, stages: q.stages })).toEqual({ hits: ["a@1", "b@2", "b@3", "a@6"], resume: undefined });
  });

  test("stages after a | head run on the merged result: | head N | where keeps what passes of the first N merged matches", async () => {
    const srcs = await stores({ a: [1, 4, 6, 9], b: [2, 3, 7, 8] });
    const q = parseQueryArgs("| head 4 | where b", 0);
    expect(await run(srcs, { ...BASE, expr: q.expr, stages: q.stages })).toEqual({ hits: ["b@2", "b@3"], resume: undefined });
    const twice = parseQueryArgs("| head 6 | where b | head 3", 0);
    expect((await run(srcs, { ...BASE, expr: twice.expr, stages: twice.stages })).hits).toEqual(["b@2", "b@3", "b@7"]);
  });

  test("orders by event time across stores, ties by store name, both directions", async () => {
    const srcs = await stores({ b: [10, 20, 30, 40], a: [15, 20, 45], c: [5, 50] });
    const forward = ["c@5", "b@10", "a@15", "a@20", "b@20", "b@30", "b@40", "a@45", "c@50"];
    expect(await run(srcs, BASE)).toEqual({ hits: forward, resume: undefined });
    expect((await run(srcs, { ...BASE, reverse: true })).hits).toEqual(["c@50", "a@45", "b@40", "b@30", "a@20", "b@20", "a@15", "b@10", "c@5"]);
  });

  test("pages continue every store where it left off", async () => {
    const srcs = await stores({ b: [10, 20, 30, 40], a: [15, 20, 45], c: [5, 50] });
    expect(await pages(srcs, { ...BASE, limit: 4 })).toEqual([["c@5", "b@10", "a@15", "a@20"], ["b@20", "b@30", "b@40", "a@45"], ["c@50"]]);
    expect(await pages(srcs, { ...BASE, limit: 3, reverse: true })).toEqual([["c@50", "a@45", "b@40"], ["b@30", "a@20", "b@20"], ["a@15", "b@10", "c@5"]]);
  });

  test("filters apply per store; context records travel with their match", async () => {
    const srcs = await stores({ a: [1, 2, 3, 4, 5], b: [2, 6] });
    const req = { ...BASE, ...parseQueryArgs('"a@3" OR "b@2"', 0), contextBefore: 1, contextAfter: 1 };
    expect((await run(srcs, req)).hits).toEqual(["b@2", "b@6~", "a@2~", "a@3", "a@4~"]);
  });

  test("a store added after the token was issued is searched from its start; tokens are checked", async () => {
    const srcs = await stores({ a: [1, 3], b: [2, 4] });
    const first = await run(srcs, { ...BASE, limit: 2 });
    const [late] = await stores({ c: [0] });
    expect((await run([...srcs, late!], { ...BASE, resume: first.resume })).hits).toEqual(["c@0", "a@3", "b@4"]);
    expect(run(srcs, { ...BASE, reverse: true, resume: first.resume })).rejects.toThrow("forward search");
    expect(run(srcs, { ...BASE, resume: "bm9wZQ" })).rejects.toThrow("not a multi-store token");
    const done = encodeMergeToken({ reverse: false, stores: { a: { kind: "done" }, b: { kind: "start" } } });
    expect((await run(srcs, { ...BASE, resume: done })).hits).toEqual(["b@2", "b@4"]);
  });

  test("property: paged merge of time-ordered stores equals the sorted union", async () => {
    const storeTimes = fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 12 }).map((a) => a.sort((x, y) => x - y));
    await fc.assert(
      fc.asyncProperty(fc.tuple(storeTimes, storeTimes, storeTimes), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (ts, limit, reverse) => {
        const srcs = await stores({ s0: ts[0], s1: ts[1], s2: ts[2] });
        const all = ts.flatMap((t, i) => t.map((x) => ({ t: x, name: `s${i}` })));
        all.sort((x, y) => (x.t !== y.t ? (reverse ? y.t - x.t : x.t - y.t) : x.name < y.name ? -1 : 1));
        expect((await pages(srcs, { ...BASE, limit, reverse })).flat()).toEqual(all.map((x) => `${x.name}@${x.t}`));
      }),
      { numRuns: 60 },
    );
  });
});

test("followAll delivers appends to every store", async () => {
  const srcs = await stores({ a: [], b: [] });
  const ctl = new AbortController();
  const it = followAll(srcs, {}, ctl.signal);
  const first = it.next();
  await srcs[1]!.store.append([{ raw: enc.encode("b@7"), attrs: {}, sourceTs: 7, ingestTs: 1 }]);
  await srcs[0]!.store.append([{ raw: enc.encode("a@8"), attrs: {}, sourceTs: 8, ingestTs: 1 }]);
  const got = [(await first).value as SearchHit, (await it.next()).value as SearchHit];
  expect(got.map((h) => [h.store, eventTime(h.record)])).toEqual([["b", 7], ["a", 8]]);
  ctl.abort();
  expect((await it.next()).done).toBe(true);
});
