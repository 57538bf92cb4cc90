/**
 * Store policies meeting the query engine: searches that hold a chunk while retention deletes
 * it finish cleanly (the file store's reader keeps its mapping; deleted chunks not yet reached
 * are skipped), and a search over a store whose chunks mix zstd, lz4 and none codecs.
 */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFileStore } from "../src/storage/file/open-store.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import { search } from "../src/query/engine/search.ts";
import type { SearchSource } from "../src/query/engine/source.ts";
import { RetentionRunner } from "../src/storage/retention/runner.ts";
import { fill, manualClock } from "../src/storage/retention/test-support.ts";

const enc = new TextEncoder();



async function count(src: SearchSource, query: string): Promise<number> {
  let n = 0;
  const it = search(src, { ...parseQueryArgs(query, 0), limit: 0, contextBefore: 0, contextAfter: 0 });
  for (let r = await it.next(); !r.done; r = await it.next()) n++;
  return n;
}

describe("store policies and queries", () => {
  test("searches holding a chunk finish safely while retention deletes it (file store)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gl-retention-"));
    const clock = manualClock();
    const store = await openFileStore(join(dir, "s"), { name: "s", clock: clock.now, durability: { kind: "never" }, blockRawBytes: 256 });
    try {
      await fill(store, 4, 40, clock.setHour);
      const src: SearchSource = { name: "s", store, indexes: () => undefined };
      const runner = new RetentionRunner([{ name: "s", store, policy: { maxAgeMicros: 0, maxBytes: 1, maxChunks: 0 } }], { clock: clock.now });
      const req = { ...parseQueryArgs("level=info", 0), limit: 0, contextBefore: 0, contextAfter: 0 };
      const forward = search(src, req);
      const backward = search(src, { ...req, reverse: true });
      const first = await forward.next();
      const last = await backward.next();
      const sweep = runner.sweepNow();
      const drain = async (it: AsyncGenerator<{ ref: { chunk: string } }, unknown>) => {
        const chunks: string[] = [];
        for (let r = await it.next(); !r.done; r = await it.next()) chunks.push(r.value.ref.chunk);
        return chunks;
      };
      const [rest, restBack, swept] = await Promise.all([drain(forward), drain(backward), sweep]);
      expect(swept.deleted).toHaveLength(4);
      expect(store.chunks()).toEqual([]);
      const firstChunk = (first.value as { ref: { chunk: string } }).ref.chunk;
      const lastChunk = (last.value as { ref: { chunk: string } }).ref.chunk;
      // Each search finishes the chunk it holds (all 40 records) and skips the deleted ones.
      expect({ forward: [firstChunk, ...rest], backward: [lastChunk, ...restBack] }).toEqual({ forward: Array(40).fill(firstChunk), backward: Array(40).fill(lastChunk) });
      const after = await drain(search(src, req));
      expect(after).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("search across a store whose chunks use different codecs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gl-codec-search-"));
    try {
      for (const codec of ["zstd", "lz4", "none"] as const) {
        const store = await openFileStore(dir, { codec, durability: { kind: "never" }, blockRawBytes: 512 });
        await store.append(Array.from({ length: 100 }, (_, i) => ({ raw: enc.encode(`${codec} request ${i} status=${i % 2 ? 200 : 500}`), attrs: { codec }, sourceTs: 0, ingestTs: i + 1 })));
        await store.seal();
        await store.close();
      }
      const store = await openFileStore(dir, { durability: { kind: "never" } });
      try {
        const src: SearchSource = { name: "default", store, indexes: () => undefined };
        expect(store.chunks().map((c) => c.codec)).toEqual(["zstd", "lz4", "none"]);
        expect([await count(src, ""), await count(src, "status=500"), await count(src, "codec=lz4 request"), await count(src, "lz4 OR none")]).toEqual([300, 150, 100, 200]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
