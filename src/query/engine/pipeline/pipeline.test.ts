/**
 * The query pipeline's seams: a pipe stage between filter and sink, an asynchronous
 * ChunkSource (a stand-in for a remote tier) giving the same answers as the local store,
 * cancellation, and a long scan letting timers run before it ends.
 */

import { describe, expect, test } from "bun:test";
import { LogError } from "../../../core/errors.ts";
import { createMemoryStore } from "../../../storage/memory/memory-store.ts";
import { ByteCache } from "../../../storage/byte-cache.ts";
import type { ChunkSource, ChunkStore, ChunkView, RecordBatch, SectionBuilderFactory } from "../../../storage/types.ts";
import { indexSectionBuilders } from "../../../index/builders.ts";
import { openChunkIndexes } from "../../../index/open.ts";
import { parseQueryArgs } from "../../lang/controls.ts";
import { explain } from "../explain.ts";
import { SLICE_MS } from "../pacer.ts";
import { search, type SearchOptions } from "../search.ts";
import type { SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import type { RowBatch, Stage } from "./types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function filled(lines: number, sealEvery: number, sectionBuilders?: SectionBuilderFactory): Promise<ChunkStore> {
  const store = createMemoryStore("default", { rotation: { maxRecords: sealEvery }, sectionBuilders });
  const words = ["error disk full", "info request done", "warn slow reply", "debug tick"];
  for (let i = 0; i < lines; i += 100) {
    await store.append(Array.from({ length: Math.min(100, lines - i) }, (_, k) => ({ raw: enc.encode(`${words[(i + k) % 4]} n=${i + k}`), attrs: { n: String(i + k) }, sourceTs: 0, ingestTs: 1_000 + i + k })));
  }
  return store;
}

const req = (q: string, limit = 0): SearchRequest => ({ ...parseQueryArgs(q, 0), limit, contextBefore: 0, contextAfter: 0 });

async function texts(src: SearchSource, r: SearchRequest, opts?: SearchOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const h of search(src, r, opts)) out.push(dec.decode(h.record.raw));
  return out;
}

/** The store's read side seen through promises and async iterables only, as a remote tier would offer it. */
function remote(store: ChunkStore): ChunkSource {
  const view = (id: string): ChunkView => {
    const r = store.open(id);
    return {
      meta: r.meta,
      count: () => r.count(),
      blocks: () => r.blocks(),
      async *batches(from: number, to: number): AsyncIterable<RecordBatch> {
        for (const b of r.batches(from, to)) {
          await Promise.resolve();
          yield b;
        }
      },
      record: async (pos) => r.record(pos),
      sectionSize: (name) => r.sectionSize(name),
      readSection: async (name, offset, length) => r.readSection(name, offset, length),
      close: () => r.close(),
    };
  };
  return { name: store.name, chunks: () => store.chunks(), chunk: (id) => store.chunk(id), open: async (id) => view(id), subscribe: (l) => store.subscribe(l) };
}

describe("query pipeline", () => {
  test("a pipe stage runs between the filter and the sink", async () => {
    const store = await filled(400, 150);
    const src: SearchSource = { name: "default", store, indexes: () => undefined };
    const evenOnly: Stage<RowBatch, RowBatch> = async function* (input) {
      for await (const rb of input) yield { ...rb, rows: rb.rows.filter((i) => (rb.batch.first + i) % 2 === 0) };
    };
    const all = await texts(src, req("error OR warn"));
    const piped = await texts(src, req("error OR warn", 50), { pipes: [evenOnly] });
    expect(piped).toEqual(all.filter((t) => Number(/n=(\d+)/.exec(t)![1]) % 2 === 0).slice(0, 50));
  });

  test("an asynchronous ChunkSource gives the same hits, context and plans (index sections read through it) as the local store", async () => {
    const store = await filled(700, 200, indexSectionBuilders());
    const withIndexes = (s: ChunkSource): SearchSource => {
      const cache = new ByteCache();
      return { name: "default", store: s, indexes: (view, meta) => openChunkIndexes(view, meta.indexStatus, { cache, key: `${meta.id}/` }) };
    };
    const local = withIndexes(store);
    const far = withIndexes(remote(store));
    for (const q of ["warn", "n=5 OR slow", "NOT debug reverse=true", "info limit=7"]) {
      expect(await texts(far, req(q))).toEqual(await texts(local, req(q)));
    }
    const ctx: SearchRequest = { ...req("n=350"), contextBefore: 2, contextAfter: 2 };
    expect(await texts(far, ctx)).toEqual(await texts(local, ctx));
    const plan = await explain(far, req("error"));
    expect({ plan, indexDriven: plan.chunks.some((c) => c.scanMode === "index-driven") }).toEqual({ plan: await explain(local, req("error")), indexDriven: true });
  });

  test("an aborted search stops with a cancelled error", async () => {
    const store = await filled(400, 100);
    const ac = new AbortController();
    const it = search({ name: "default", store, indexes: () => undefined }, req("info"), { signal: ac.signal });
    expect((await it.next()).done).toBe(false);
    ac.abort();
    const err = await (async () => {
      for (;;) if ((await it.next()).done) return undefined;
    })().catch((e: unknown) => e);
    expect(err).toEqual(new LogError("cancelled", "query cancelled"));
  });

  test("a long zero-match scan lets a timer run before it ends", async () => {
    const store = await filled(60_000, 20_000);
    const src: SearchSource = { name: "default", store, indexes: () => undefined };
    // Letters and a dot: needles with a digit run would be found as bytes without decoding text (anchor.ts).
    const heavy = Array.from({ length: 200 }, (_, i) => `zz${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}.q`).join(" OR ");
    let scanEnded = false;
    const timerRanFirst = new Promise<boolean>((resolve) => setTimeout(() => resolve(!scanEnded), 0));
    const started = performance.now();
    expect(await texts(src, req(heavy))).toEqual([]);
    scanEnded = true;
    // Meaningful only when the scan outlasted a few slices; a 60 000-record, 200-predicate scan does.
    expect(performance.now() - started).toBeGreaterThan(5 * SLICE_MS);
    expect(await timerRanFirst).toBe(true);
  });
});
