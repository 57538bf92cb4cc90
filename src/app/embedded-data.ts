/**
 * `repl --embedded --data DIR`: the engine over the data dir's config and file stores, locked
 * like a server would lock it; FILEs go into store "default" (else the first store) and are
 * sealed, so they are indexed. A store another process writes is refused up front, pointing to
 * `gastrolog query --data`, which reads it meanwhile.
 */

import { mkdirSync } from "node:fs";
import { createInProcessTransport } from "../api/in-process-transport.ts";
import { configDbPath, openSqliteConfigStore } from "../config/sqlite-store.ts";
import { LogError } from "../core/errors.ts";
import { createLogger } from "../observability/logger.ts";
import type { StoreConfig } from "../config/schema.ts";
import { acquireLock, liveLockHolder } from "../storage/file/lock.ts";
import { isDataDir } from "./data-dir.ts";
import { storeDir } from "./paths.ts";
import type { EmbeddedEngine, EmbeddedOptions } from "./embedded.ts";
import { importInto, summaryLine } from "./embedded-import.ts";
import { openEngine, type Engine } from "./server/engine.ts";
import { configStoreOptions } from "./server/receiver-config.ts";

/**
 * Throws when another live process writes a file store of the config (an import): the engine
 * would fail to open it anyway, after logging; this says who writes it and what reads it
 * meanwhile (`gastrolog query --data` reads a store beside its writer; the engine must write).
 */
function refuseWrittenStores(dataDir: string, stores: readonly StoreConfig[]): void {
  for (const s of stores) {
    const w = s.type === "file" ? liveLockHolder(storeDir(dataDir, s.name)) : undefined;
    if (!w) continue;
    throw new LogError(
      "locked",
      `store '${s.name}' is being written by pid ${w.pid} on ${w.host} (since ${w.startedAt}): the embedded REPL runs the whole engine over ${dataDir} and must write its stores; wait until it ends, or read the store meanwhile with \`gastrolog query --data ${dataDir}\``,
    );
  }
}

export async function openDataDir(dataDir: string, o: EmbeddedOptions): Promise<EmbeddedEngine> {
  // Like serve, this runs the directory's engine (config writes included) and creates it when
  // new; the banner says so, so a mistyped --data shows at once.
  const fresh = !isDataDir(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  const cfg = openSqliteConfigStore(configDbPath(dataDir), configStoreOptions());
  const release = () => {
    cfg.close();
    lock.release();
  };
  let engine: Engine;
  try {
    refuseWrittenStores(dataDir, cfg.current().config.stores);
    engine = await openEngine({ dataDir, config: cfg, logger: createLogger({ level: "warn", format: "text", write: o.stderr }) });
  } catch (err) {
    release();
    throw err;
  }
  const banner = [`embedded, file stores in ${dataDir}${fresh ? " (a new data directory: nothing stored yet)" : ""}`];
  try {
    const target = engine.host.store("default") ?? engine.host.stores()[0];
    if (o.files.length > 0) {
      if (!target) throw new LogError("not_found", `no store in ${dataDir} to import into`);
      banner.push(summaryLine(await importInto(target.source.store, o, true), `store '${target.name}'`));
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

