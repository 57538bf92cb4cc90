/**
 * `gastrolog query` without a server: the data directory's stores opened in this process
 * behind the QueryService a server runs, over an in-process transport (as `repl --embedded`
 * does). A named store is opened alone; "*" opens every configured file store found on disk,
 * which is what a server holding the directory would search.
 */

import { existsSync } from "node:fs";
import { LocalHost } from "../api/local-host.ts";
import { createQueryTransport } from "../api/query-transport.ts";
import { storeRuntime, type StoreRuntime } from "../config/runtime.ts";
import { defaultConfig } from "../config/schema.ts";
import { versionInfo } from "./build-info.ts";
import { storeDir } from "./paths.ts";
import type { QueryLink } from "./query-target.ts";
import { hostStore, openStore, type OpenedStore } from "./stores.ts";

/** The store name that means every store. */
const ALL_STORES = "*";

/** Settings of a store the config does not name (the defaults of a file store). */
function unconfigured(name: string): StoreRuntime {
  return storeRuntime({ ...defaultConfig().stores[0]!, name, route: "" });
}

async function storesToOpen(dataDir: string, store: string): Promise<StoreRuntime[]> {
  if (store !== ALL_STORES) return [unconfigured(store)];
  const { readConfig } = await import("./config-access.ts");
  const configured = readConfig(dataDir, (s) => s.current().config.stores);
  return configured.filter((s) => s.type === "file" && existsSync(storeDir(dataDir, s.name))).map(storeRuntime);
}

/** Opens `store` of `dataDir` ("*" = every configured file store) behind an in-process QueryService. */
export async function openLocalQuery(dataDir: string, store: string): Promise<QueryLink> {
  const opened: OpenedStore[] = [];
  const closeAll = async () => {
    for (const o of opened.splice(0)) await o.close();
  };
  try {
    const runtimes = await storesToOpen(dataDir, store);
    for (const rt of runtimes) opened.push(await openStore(dataDir, rt.name));
    const host = new LocalHost({
      stores: runtimes.map((rt, i) => hostStore(dataDir, rt, opened[i]!)),
      version: versionInfo(),
    });
    host.markReady();
    return { transport: createQueryTransport(host), where: dataDir, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
