/**
 * `repl --embedded` composed: the engine in this process behind the in-process transport, so
 * the REPL talks to exactly the services a server offers. Plain FILEs are read in place by a
 * text file store "default" (no import: the first answer comes from a scan) that keeps
 * reading them as they grow or rotate, so `follow` is live; .gz/.zst/stdin
 * or --index import them into a memory store instead; --data uses that directory's file
 * stores; with neither files nor --data, the chatterbox demo fills a memory store.
 * close() stops receivers, then stores.
 */

import { mkdirSync } from "node:fs";
import type { Transport } from "@connectrpc/connect";
import type { HostStore } from "../api/host.ts";
import { LocalHost } from "../api/local-host.ts";
import { createInProcessTransport } from "../api/routes.ts";
import { configDbPath, openSqliteConfigStore } from "../config/sqlite-store.ts";
import { LogError } from "../core/errors.ts";
import { systemClock } from "../core/time.ts";
import { DEFAULT_STORE_BATCH } from "../ingest/import/defaults.ts";
import { importFiles, importTimestampContext, type ImportSummary } from "../ingest/import/import-files.ts";
import { compactCount } from "../ingest/import/render.ts";
import { isPlainPath } from "../ingest/import/sources.ts";
import { parseLeadingTimestamp } from "../ingest/parse/timestamp.ts";
import { createLogger } from "../observability/logger.ts";
import type { ChunkStore } from "../storage/types.ts";
import { acquireLock } from "../storage/file/lock.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { openTextFileStore } from "../storage/textfile/text-store.ts";
import { versionInfo } from "./build-info.ts";
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
   * Import FILEs into memory and build indexes as chunks seal, instead of reading them in
   * place. Off by default: importing and indexing 140 MB takes about 1.8 s, while reading the
   * file in place answers a first query in about 0.3 s and later ones in about 0.06 s.
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

const readOnlySettings = (files: string[]): HostStore["settings"] => ({
  kind: "file",
  dir: files.join(", "),
  rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0 },
  durability: { kind: "never" },
  route: "",
});

/** Plain FILEs read in place as store "default": nothing is imported, queries scan the files. */
function openInPlace(o: EmbeddedOptions): EmbeddedEngine {
  const now = systemClock();
  const ctx = importTimestampContext(now);
  const store = openTextFileStore("default", o.files, { clock: systemClock, follow: true, parseTimestamp: (buf, start, end) => parseLeadingTimestamp(buf, start, end, ctx) });
  const host = new LocalHost({ stores: [{ name: "default", source: searchSource("default", store), settings: readOnlySettings(o.files) }], version: versionInfo() });
  host.markReady();
  const mb = (store.bytes / 1e6).toFixed(1);
  return {
    transport: createInProcessTransport(host),
    banner: [`embedded, reading ${o.files.length} file(s) in place (${mb} MB) as store 'default', following them as they grow ('follow'): no import, no indexes (--index imports and indexes them)`],
    async close() {
      host.beginDrain();
      await store.close();
      host.markStopped();
    },
  };
}

/** Opens the embedded engine for `o`; compressed FILEs, stdin and --index FILEs are imported before it returns. */
export async function openEmbedded(o: EmbeddedOptions): Promise<EmbeddedEngine> {
  if (o.dataDir !== undefined) return openDataDir(o.dataDir, o);
  if (o.files.length > 0 && !o.index && o.files.every(isPlainPath)) return openInPlace(o);
  const demo = o.files.length === 0;
  const store = createMemoryStore("default", { rotation: demo ? DEMO_ROTATION : MEMORY_ROTATION, sectionBuilders: demo || o.index ? sectionBuilders : undefined });
  const hs: HostStore = {
    name: "default",
    source: searchSource("default", store),
    settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords: 0, maxAgeMicros: 0, ...(demo ? DEMO_ROTATION : MEMORY_ROTATION) }, durability: { kind: "never" }, route: "" },
  };
  const receivers: Demo[] = [];
  const host = new LocalHost({ stores: [hs], version: versionInfo(), receivers: () => receivers.map((r) => r.view()) });
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
