/**
 * A time-bounded query over a store of sealed chunks opens only the chunks whose event times
 * can hold a match: the others are skipped from their listing (a search's plan still reports
 * them, "outside time range"), so a query for the last minutes of a large store does not open
 * every segment and index.
 */

import { expect, test } from "bun:test";
import { openFileStore } from "../../storage/file/open-store.ts";
import { numbered, tempDir } from "../../storage/file/test-helpers.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { parseQueryArgs } from "../lang/controls.ts";
import { tableQuery } from "./aggregate/table-query.ts";
import { search } from "./search.ts";
import type { SearchSource } from "./source.ts";
import type { ChunkPlan, SearchRequest } from "./types.ts";

/** `store` as a search source that records which chunks were opened. */
function countingSource(store: ChunkStore, opened: string[]): SearchSource {
  const counted = Object.create(store) as ChunkStore;
  counted.open = (id) => {
    opened.push(id);
    return store.open(id);
  };
  return { name: "default", store: counted, indexes: () => undefined };
}

/** Three sealed chunks of 100 records with event times 1..100, 101..200, 201..300 µs. */
async function threeChunks(dir: string): Promise<ChunkStore> {
  const store = await openFileStore(dir, { name: "default" });
  for (let c = 0; c < 3; c++) {
    await store.append(Array.from({ length: 100 }, (_, i) => numbered(c * 100 + i)));
    await store.seal();
  }
  return store;
}

test("a search bounded to one chunk's times opens that chunk only, and reports the others as outside", async () => {
  using dir = tempDir();
  const store = await threeChunks(dir.path);
  const opened: string[] = [];
  const plans: ChunkPlan[] = [];
  const req: SearchRequest = { limit: 0, reverse: false, contextBefore: 0, contextAfter: 0, start: 150, end: 171 };
  let hits = 0;
  for await (const _ of search(countingSource(store, opened), req, { onChunk: (p) => plans.push(p) })) hits++;
  const ids = store.chunks().map((m) => m.id);
  expect({ hits, opened, skipped: plans.map((p) => (p.scanMode === "skipped" ? p.skipReason : "searched")) }).toEqual({ hits: 21, opened: [ids[1]!], skipped: ["outside time range", "searched", "outside time range"] });
  await store.close();
});

test("a bounded count opens that chunk only, and counts what a search finds", async () => {
  using dir = tempDir();
  const store = await threeChunks(dir.path);
  const opened: string[] = [];
  const q = parseQueryArgs("* | stats count()", 0);
  const req: SearchRequest = { expr: q.expr, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0, start: 150, end: 171 };
  const { table } = await tableQuery([countingSource(store, opened)], req, q.stages);
  expect({ count: table.rows[0]?.[0], opened }).toEqual({ count: 21, opened: [store.chunks()[1]!.id] });
  await store.close();
});
