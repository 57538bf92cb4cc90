import { describe, expect, test } from "bun:test";
import { openFileStore } from "../../storage/file/open-store.ts";
import { numbered, tempDir } from "../../storage/file/test-helpers.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { search } from "./search.ts";
import type { SearchSource } from "./source.ts";
import type { SearchRequest } from "./types.ts";

/**
 * A chunk listed while it was sealing and opened after its seal finished: the planner must
 * take the reader's view (sealed, several blocks), not the listing's (one growing block).
 * Before the fix every block range ran to the end of the chunk and records came back up to
 * once per block (issue 10, item 1: duplicates after an interrupted import).
 */

const ALL: SearchRequest = { limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 };

function source(store: ChunkStore): SearchSource {
  return { name: "default", store, indexes: () => undefined };
}

/** Store with a sealed chunk of `n` records and a second one of `n` whose seal is under way. */
async function storeWithSealInFlight(dir: string, n: number): Promise<{ store: ChunkStore; sealing: Promise<unknown> }> {
  const store = await openFileStore(dir, { name: "default", blockRawBytes: 512 });
  await store.append(Array.from({ length: n }, (_, i) => numbered(i)));
  await store.seal();
  await store.append(Array.from({ length: n }, (_, i) => numbered(n + i)));
  const sealing = store.seal();
  expect(store.chunks().map((c) => c.state)).toEqual(["sealed", "sealing"]);
  return { store, sealing };
}

describe("search while a listed chunk finishes sealing", () => {
  test.each([
    ["forward", false],
    ["reverse", true],
  ])("%s: every record once", async (_name, reverse) => {
    using dir = tempDir();
    const n = 300;
    const { store, sealing } = await storeWithSealInFlight(dir.path, n);
    const it = search(source(store), { ...ALL, reverse });
    const seen: string[] = [];
    const first = await it.next();
    if (!first.done) seen.push(`${first.value.ref.chunk}/${first.value.ref.pos}`);
    await sealing;
    expect(store.chunks().map((c) => c.state)).toEqual(["sealed", "sealed"]);
    for (let r = await it.next(); !r.done; r = await it.next()) seen.push(`${r.value.ref.chunk}/${r.value.ref.pos}`);
    expect({ hits: seen.length, distinct: new Set(seen).size }).toEqual({ hits: 2 * n, distinct: 2 * n });
    await store.close();
  });
});
