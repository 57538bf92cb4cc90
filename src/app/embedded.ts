/**
 * `repl --embedded` composed: the engine in this process behind the in-process transport, so
 * the REPL talks to exactly the services a server offers. Memory store "default" (FILEs
 * imported into it) unless --data names a directory of file stores; with neither files nor
 * --data, the chatterbox demo fills a memory store. close() stops receivers, then stores.
 */

import { mkdirSync } from "node:fs";
import type { Transport } from "@connectrpc/connect";
import type { HostStore } from "../api/host.ts";
import { LocalHost } from "../api/local-host.ts";
import { createInProcessTransport } from "../api/routes.ts";
import { configDbPath, openSqliteConfigStore } from "../config/sqlite-store.ts";
import { LogError } from "../core/errors.ts";
import { systemClock } from "../core/time.ts";
import { importFiles, DEFAULT_STORE_BATCH, type ImportSummary } from "../ingest/import/import-files.ts";
import { compactCount } from "../ingest/import/render.ts";
import { createLogger } from "../observability/logger.ts";
import type { ChunkStore } from "../storage/types.ts";
import { acquireLock } from "../storage/file/lock.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { buildCommit, VERSION } from "./build-info.ts";
import { startDemo, DEMO_ROTATION, type Demo } from "./embedded-demo.ts";
import { importProgress } from "./import-progress.ts";
import { sectionBuilders } from "./section-builders.ts";
import { configStoreOptions } from "./config-access.ts";
import { openEngine, type Engine } from "./server/engine.ts";
import { searchSource } from "./stores.ts";

/** Memory chunks seal (and get indexed) at this size, as file stores do. */
export const MEMORY_ROTATION = { maxBytes: 64 << 20 };

export interface EmbeddedOptions {
  /** File stores under this directory; undefined = memory. */
  dataDir?: string;
  files: string[];
  /**
   * Build indexes as memory chunks seal. Off by default: indexing costs about 2.5x the import
   * itself (1.3 s of 1.8 s for 140 MB), while a scan of that much memory takes 0.15-0.5 s.
   */
  index: boolean;
  /** Draw a progress bar on stderr (a terminal). */
  progress: boolean;
  stderr: (text: string) => void;
  /** Aborted on Ctrl-C: stops an import in progress. */
  signal: AbortSignal;
}

export interface EmbeddedEngine {
  transport: Transport;
  /** What was opened or imported, for the banner. */
  banner: string[];
  close(): Promise<void>;
}

const version = () => ({ version: VERSION, commit: buildCommit(), runtime: `bun ${Bun.version}` });

async function load(store: ChunkStore, o: EmbeddedOptions, seal: boolean): Promise<ImportSummary> {
  const bar = o.progress ? importProgress(o.files) : undefined;
  try {
    const summary = await importFiles(store, o.files, {
      storeBatch: DEFAULT_STORE_BATCH,
      clock: systemClock,
      seal,
      onProgress: (p) => {
        o.signal.throwIfAborted();
        bar?.update(p);
      },
    });
    bar?.done(`Imported ${compactCount(summary.records)} lines (${(summary.inputBytes / 1e6).toFixed(1)} MB) in ${summary.seconds.toFixed(2)}s`);
    return summary;
  } catch (err) {
    bar?.fail("Import stopped");
    throw err;
  }
}

function summaryLine(s: ImportSummary, where: string): string {
  return `${s.records} records from ${s.files} file(s) (${(s.inputBytes / 1e6).toFixed(1)} MB) in ${where}, imported in ${s.seconds.toFixed(2)}s`;
}

/**
 * The engine over the data dir's config and file stores, locked like a server would lock it;
 * FILEs go into store "default" (else the first store) and are sealed, so they are indexed.
 */
async function openDataDir(dataDir: string, o: EmbeddedOptions): Promise<EmbeddedEngine> {
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  const cfg = openSqliteConfigStore(configDbPath(dataDir), configStoreOptions());
  const release = () => {
    cfg.close();
    lock.release();
  };
  let engine: Engine;
  try {
    engine = await openEngine({ dataDir, config: cfg, logger: createLogger({ level: "warn", format: "text", write: o.stderr }) });
  } catch (err) {
    release();
    throw err;
  }
  const banner = [`embedded, file stores in ${dataDir}`];
  try {
    const target = engine.host.store("default") ?? engine.host.stores()[0];
    if (o.files.length > 0) {
      if (!target) throw new LogError("not_found", `no store in ${dataDir} to import into`);
      banner.push(summaryLine(await load(target.source.store, o, true), `store '${target.name}'`));
    }
  } catch (err) {
    await engine.close();
    release();
    throw err;
  }
  engine.start();
  return {
    transport: createInProcessTransport(engine.host),
    banner,
    async close() {
      await engine.close();
      release();
    },
  };
}

/** Opens the embedded engine for `o`; FILEs are imported before it returns. */
export async function openEmbedded(o: EmbeddedOptions): Promise<EmbeddedEngine> {
  if (o.dataDir !== undefined) return openDataDir(o.dataDir, o);
  const demo = o.files.length === 0;
  const store = createMemoryStore("default", { rotation: demo ? DEMO_ROTATION : MEMORY_ROTATION, sectionBuilders: demo || o.index ? sectionBuilders : undefined });
  const hs: HostStore = {
    name: "default",
    source: searchSource("default", store),
    settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0, ...(demo ? DEMO_ROTATION : MEMORY_ROTATION) }, durability: { kind: "never" }, route: "" },
  };
  const receivers: Demo[] = [];
  const host = new LocalHost({ stores: [hs], version: version(), receivers: () => receivers.map((r) => r.view()) });
  const banner: string[] = [];
  if (demo) {
    const d = await startDemo(host, store);
    receivers.push(d);
    banner.push(`embedded demo: ${d.backlog} chatterbox records from the last hour in memory, more arriving (try 'follow')`);
  } else {
    banner.push(`embedded, in memory${o.index ? ", indexed" : " (not indexed: --index builds indexes)"}: ${summaryLine(await load(store, o, false), "store 'default'")}`);
  }
  host.markReady();
  return {
    transport: createInProcessTransport(host),
    banner,
    async close() {
      host.beginDrain();
      await Promise.all(receivers.map((r) => r.stop()));
      await host.appendsSettled();
      await store.close();
      host.markStopped();
    },
  };
}
