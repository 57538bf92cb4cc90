/**
 * Bench stores: imports a corpus with the compiled binary (`gastrolog import`, worker sealer and
 * index builders, exactly as a user runs it) and keeps the data dir under bench/.data/stores/,
 * keyed by corpus size and a content hash of the code that shapes stored bytes, so a format
 * change re-imports. Also reads a store's exact data/index byte counts from its chunk metadata.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { openFileStore } from "../src/storage/file/open-store.ts";
import { storeDir } from "../src/app/paths.ts";
import { DATA_DIR } from "./corpus.ts";
import { ensureBinary, measureOk, ROOT, type Measured } from "./proc.ts";

/** Directories whose code decides what an import writes (segment format, indexes, parsing). */
const KEY_DIRS = ["src/storage", "src/index", "src/ingest", "src/core"];
/** Year for syslog timestamps without one: the corpus is generated in 2024. */
export const CORPUS_YEAR = 2024;
const STORES = join(DATA_DIR, "stores");
const DONE = ".bench-done";

function listSources(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listSources(p, out);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(p);
  }
}

let cachedKey: string | undefined;

/** Hash of the working-tree sources under KEY_DIRS (paths and contents; tests excluded). */
export function codeKey(): string {
  if (cachedKey) return cachedKey;
  const files: string[] = [];
  for (const d of KEY_DIRS) listSources(join(ROOT, d), files);
  files.sort();
  const h = new Bun.CryptoHasher("sha1");
  for (const f of files) {
    h.update(relative(ROOT, f));
    h.update(readFileSync(f));
  }
  cachedKey = h.digest("hex").slice(0, 12);
  return cachedKey;
}

/** Data dir of the cached store for the `lines`-line corpus at the current code key. */
export function cachedDataDir(lines: number): string {
  return join(STORES, `${lines}-${codeKey()}`);
}

export interface ImportRun extends Measured {
  /** Import time measured inside the command (excludes process start and store close). */
  innerSeconds: number;
}

/** Runs `gastrolog import --year 2024` of `file` into a fresh `dataDir`. */
export function importWithBinary(file: string, dataDir: string): ImportRun {
  rmSync(dataDir, { recursive: true, force: true });
  const m = measureOk([ensureBinary(), "import", "--data", dataDir, "--year", String(CORPUS_YEAR), file]);
  const inner = /input\s.*\bin ([\d.]+)s/.exec(m.stdout);
  if (!inner) throw new Error(`could not read the import summary:\n${m.stdout}`);
  return { ...m, innerSeconds: Number(inner[1]) };
}

/** Cached stores kept per corpus size: worktrees with different code share bench/.data. */
const KEEP_PER_SIZE = 4;

/** Removes all but the newest KEEP_PER_SIZE - 1 cached stores for `lines` (making room for one). */
function pruneStores(lines: number): void {
  const olderFirst = readdirSync(STORES)
    .filter((e) => e.startsWith(`${lines}-`))
    .map((e) => ({ path: join(STORES, e), mtime: statSync(join(STORES, e)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime);
  for (const old of olderFirst.slice(0, Math.max(0, olderFirst.length - (KEEP_PER_SIZE - 1)))) {
    rmSync(old.path, { recursive: true, force: true });
  }
}

/** Makes `dataDir` the cached store for `lines` (keeping a few stores of other code versions). */
export function keepStore(dataDir: string, lines: number): string {
  mkdirSync(STORES, { recursive: true });
  pruneStores(lines);
  const dest = cachedDataDir(lines);
  if (existsSync(join(dest, DONE))) {
    // Another run with the same code kept its import first: keep that one, drop ours.
    rmSync(dataDir, { recursive: true, force: true });
    return dest;
  }
  rmSync(dest, { recursive: true, force: true }); // a half-kept store of an interrupted run
  renameSync(dataDir, dest);
  writeFileSync(join(dest, DONE), String(lines));
  return dest;
}

/** A scratch data dir next to the cache (same filesystem, so keepStore can rename it). */
export function scratchDataDir(): string {
  mkdirSync(STORES, { recursive: true });
  return join(STORES, `tmp-${process.pid}-${Date.now()}`);
}

/** The cached store for the corpus at `file` with `lines` lines, importing it when missing. */
export function ensureStore(file: string, lines: number): string {
  const dir = cachedDataDir(lines);
  if (existsSync(join(dir, DONE))) return dir;
  const tmp = scratchDataDir();
  const run = importWithBinary(file, tmp);
  console.log(`imported ${lines} lines for the query bench in ${run.wallSeconds.toFixed(1)}s (cache ${relative(ROOT, dir)})`);
  return keepStore(tmp, lines);
}

export interface StoreSizes {
  chunks: number;
  records: number;
  rawBytes: number;
  /** Segment bytes minus index sections. */
  dataBytes: number;
  indexBytes: number;
  indexStatuses: string;
  /** Event-time range over all chunks (µs). */
  eventMin: number;
  eventMax: number;
}

/** Exact sizes from the chunk metadata of store "default" in `dataDir`. */
export async function storeSizes(dataDir: string): Promise<StoreSizes> {
  const store = await openFileStore(storeDir(dataDir, "default"), { name: "default" });
  try {
    const metas = store.chunks();
    const sum = (f: (m: (typeof metas)[number]) => number): number => metas.reduce((s, m) => s + f(m), 0);
    return {
      chunks: metas.length,
      records: sum((m) => m.records),
      rawBytes: sum((m) => m.rawBytes),
      dataBytes: sum((m) => m.storedBytes - m.indexBytes),
      indexBytes: sum((m) => m.indexBytes),
      indexStatuses: [...new Set(metas.map((m) => m.indexStatus))].join(","),
      eventMin: Math.min(...metas.map((m) => m.eventTs.min)),
      eventMax: Math.max(...metas.map((m) => m.eventTs.max)),
    };
  } finally {
    await store.close();
  }
}
