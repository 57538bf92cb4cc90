/**
 * `gastrolog query` without a server: the data directory's stores opened in this process
 * behind the QueryService a server runs, over an in-process transport (as `repl --embedded`
 * does). A named store is opened alone; "*" opens every configured file store found on disk,
 * which is what a server holding the directory would search.
 */

import { existsSync } from "node:fs";
import { LocalHost } from "../api/local-host.ts";
import { ALL_STORES } from "../api/services/stores.ts";
import { createQueryTransport } from "../api/query-transport.ts";
import { storeRuntime, type StoreRuntime } from "../config/runtime.ts";
import { defaultConfig } from "../config/schema.ts";
import { versionInfo } from "./build-info.ts";
import { storeDir } from "./paths.ts";
import type { QueryLink } from "./query-target.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { hostStore, openStore, searchSource, type OpenedStore } from "./stores.ts";

/** Settings of a store the config does not name (the defaults of a file store). */
function unconfigured(name: string): StoreRuntime {
  return storeRuntime({ ...defaultConfig().stores[0]!, name, route: "" });
}

/**
 * The stores to open; `empty` for a configured store that never stored a record (it has no
 * directory, and none is created: it reads as an empty memory store). An unknown store is a
 * not_found error naming the known ones.
 */
async function storesToOpen(dataDir: string, store: string): Promise<{ rt: StoreRuntime; empty: boolean }[]> {
  if (store !== ALL_STORES) {
    const { readableStore } = await import("./data-dir.ts");
    return [{ rt: unconfigured(store), empty: readableStore(dataDir, store) === "empty" }];
  }
  const { readConfig } = await import("./config-access.ts");
  const configured = readConfig(dataDir, (s) => s.current().config.stores);
  return configured.filter((s) => s.type === "file" && existsSync(storeDir(dataDir, s.name))).map((s) => ({ rt: storeRuntime(s), empty: false }));
}

/** A store with no records that writes nothing anywhere (a configured store without a directory yet). */
function emptyStore(name: string): OpenedStore {
  const store = createMemoryStore(name);
  return { store, source: searchSource(name, store), reconfigure: (p) => store.reconfigure(p), close: () => store.close() };
}

/** Opens `store` of `dataDir` ("*" = every configured file store) behind an in-process QueryService. */
export async function openLocalQuery(dataDir: string, store: string): Promise<QueryLink> {
  const opened: OpenedStore[] = [];
  const closeAll = async () => {
    for (const o of opened.splice(0)) await o.close();
  };
  try {
    const wanted = await storesToOpen(dataDir, store);
    for (const { rt, empty } of wanted) opened.push(empty ? emptyStore(rt.name) : await openStore(dataDir, rt.name));
    const host = new LocalHost({
      stores: wanted.map(({ rt }, i) => hostStore(dataDir, rt, opened[i]!)),
      version: versionInfo(),
    });
    host.markReady();
    return { transport: createQueryTransport(host), where: dataDir, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
