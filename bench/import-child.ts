/**
 * Child process of the import benchmark: imports one file into a fresh store in `--dir` and
 * prints one JSON line (the ImportSummary, sealed-chunk sizes, max RSS from inside). Runs in
 * its own process so max RSS is the import's alone. Uses the file store when
 * src/storage/file/ exports `openFileStore(dir, options)`; `--store memory` forces the
 * memory store.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { importFiles, DEFAULT_STORE_BATCH } from "../src/ingest/import/import-files.ts";
import { systemClock } from "../src/core/time.ts";
import { createMemoryStore } from "../src/storage/memory/memory-store.ts";
import type { StoreOptions } from "../src/storage/options.ts";
import type { ChunkStore } from "../src/storage/types.ts";

/** Rotation for the bench store: seal every 64 MiB so most data is measured compressed. */
export const BENCH_ROTATION_BYTES = 64 << 20;

type OpenFileStore = (dir: string, options: StoreOptions) => Promise<ChunkStore> | ChunkStore;

/**
 * Finds `openFileStore` among src/storage/file/*.ts (index.ts first) without a static import,
 * because the file store is written in parallel and may not exist yet.
 */
async function findOpenFileStore(): Promise<OpenFileStore | undefined> {
  const base = join(import.meta.dir, "../src/storage/file");
  if (!existsSync(base)) return undefined;
  const files = readdirSync(base).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  files.sort((a, b) => Number(b === "index.ts") - Number(a === "index.ts") || a.localeCompare(b));
  for (const f of files) {
    const path = join(base, f);
    if (!/export (async )?function openFileStore\b/.test(readFileSync(path, "utf8"))) continue;
    const mod = (await import(path)) as { openFileStore?: OpenFileStore };
    if (typeof mod.openFileStore === "function") return mod.openFileStore;
  }
  return undefined;
}

export interface ChildResult {
  store: "file" | "memory";
  summary: Awaited<ReturnType<typeof importFiles>>;
  sealedChunks: number;
  sealedStored: number;
  sealedRaw: number;
  maxRssBytes: number;
}

async function main(argv: string[]): Promise<void> {
  const arg = (n: string): string | undefined => argv[argv.indexOf(n) + 1];
  const file = arg("--file")!;
  const dir = arg("--dir")!;
  const options: StoreOptions = { name: "bench", rotation: { maxBytes: BENCH_ROTATION_BYTES } };
  const openFile = arg("--store") === "memory" ? undefined : await findOpenFileStore();
  const store = openFile ? await openFile(dir, options) : createMemoryStore("bench", options);
  const summary = await importFiles(store, [file], { storeBatch: DEFAULT_STORE_BATCH, clock: systemClock });
  const sealed = store.chunks().filter((c) => c.state === "sealed");
  const result: ChildResult = {
    store: openFile ? "file" : "memory",
    summary,
    sealedChunks: sealed.length,
    sealedStored: sealed.reduce((s, c) => s + c.storedBytes, 0),
    sealedRaw: sealed.reduce((s, c) => s + c.rawBytes, 0),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  await store.close();
  console.log(JSON.stringify(result));
}

if (import.meta.main) await main(process.argv.slice(2));
