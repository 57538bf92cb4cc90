import { expect, test } from "bun:test";
import { ByteCache } from "../storage/byte-cache.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import type { ChunkMeta } from "../storage/types.ts";
import { indexSectionBuilders } from "./builders.ts";
import { openChunkIndexes, type IndexCacheScope } from "./open.ts";
import { prewarmIndexes } from "./prewarm.ts";

const enc = new TextEncoder();

async function sealedStore(chunks: number) {
  const store = createMemoryStore("s", { rotation: { maxRecords: 50 }, sectionBuilders: indexSectionBuilders() });
  for (let i = 0; i < chunks * 50; i++) await store.append([{ raw: enc.encode(`line ${i} error host=h${i % 3} word${i % 17}`), attrs: { app: "x" }, sourceTs: 0, ingestTs: 1_700_000_000_000_000 + i }]);
  await store.seal();
  return store;
}

/** Bytes and reads a token lookup takes per chunk (oldest first) after a prewarm with `budget`. */
async function afterPrewarm(budget: number, aborted = false) {
  const store = await sealedStore(4);
  const cache = new ByteCache();
  const scopeOf = (m: ChunkMeta): IndexCacheScope => ({ cache, key: `${m.id}/` });
  const ac = new AbortController();
  if (aborted) ac.abort();
  const r = await prewarmIndexes(store, scopeOf, budget, ac.signal);
  const lookups: number[] = [];
  for (const m of store.chunks()) {
    const reader = store.open(m.id);
    const idx = openChunkIndexes(reader, m.indexStatus, scopeOf(m));
    await idx.probe({ kind: "token", token: "error" });
    reader.close();
    lookups.push(idx.read.reads);
  }
  await store.close();
  return { warmed: r.chunks, lookups };
}

test("prewarm opens the index heads of the newest chunks within its budget; a lookup then reads one block", async () => {
  expect(await afterPrewarm(Number.MAX_SAFE_INTEGER)).toEqual({ warmed: 4, lookups: [1, 1, 1, 1] });
  // Each chunk's three heads are read in full (small sections: one read each), so a budget of
  // one byte stops after the newest chunk.
  expect(await afterPrewarm(1)).toEqual({ warmed: 1, lookups: [2, 2, 2, 1] });
  expect(await afterPrewarm(Number.MAX_SAFE_INTEGER, true)).toEqual({ warmed: 0, lookups: [2, 2, 2, 2] });
});

test("prewarm waits for whenIdle before each chunk and stops when aborted while waiting", async () => {
  const store = await sealedStore(3);
  const cache = new ByteCache();
  const scopeOf = (m: ChunkMeta): IndexCacheScope => ({ cache, key: `${m.id}/` });
  const ac = new AbortController();
  let waits = 0;
  let release!: () => void;
  let third!: () => void;
  const waiting = new Promise<void>((resolve) => (third = resolve));
  const whenIdle = () => {
    waits++;
    if (waits < 3) return Promise.resolve();
    // A request is in flight before the third chunk: the warm-up is stopped while it waits.
    third();
    return new Promise<void>((resolve) => (release = resolve));
  };
  const run = prewarmIndexes(store, scopeOf, Number.MAX_SAFE_INTEGER, ac.signal, whenIdle);
  await waiting;
  ac.abort();
  release();
  expect({ ...(await run), waits }).toEqual({ chunks: 2, bytes: expect.any(Number), waits: 3 });
  await store.close();
});
