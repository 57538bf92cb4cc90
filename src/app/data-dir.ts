/**
 * What a data directory holds, for commands that only read: they never create a directory,
 * so a mistyped --data or --store is an error (exit 1) naming what does exist instead of an
 * empty answer from a freshly created store. Commands that write create what they need.
 */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { configDbPath } from "../config/sqlite-store.ts";
import { LogError } from "../core/errors.ts";
import { readConfig } from "./config-access.ts";
import { defaultDataDir, storeDir } from "./paths.ts";

/** Names of the store directories under `<dataDir>/stores` (sorted). */
export function storesOnDisk(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, "stores"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** True when `dataDir` holds a config or stores (something GastroLog wrote). */
export function isDataDir(dataDir: string): boolean {
  return existsSync(configDbPath(dataDir)) || existsSync(join(dataDir, "stores"));
}

/**
 * Throws not_found unless `dataDir` is a GastroLog data directory; the message names the
 * default data directory when that one exists.
 */
export function requireDataDir(dataDir: string, env: Record<string, string | undefined>): void {
  if (isDataDir(dataDir)) return;
  const what = existsSync(dataDir) ? `${dataDir} is not a GastroLog data directory (no config.sqlite, no stores/)` : `data directory ${dataDir} does not exist`;
  const def = defaultDataDir(env);
  const hint =
    def !== dataDir && isDataDir(def)
      ? `the default data directory ${def} exists (stores: ${knownStores(def).join(", ") || "none"}); --data or $GASTROLOG_DATA choose one`
      : "nothing was imported or served there yet; --data or $GASTROLOG_DATA choose the directory";
  throw new LogError("not_found", `${what}; ${hint}`);
}

/** Stores of the config plus store directories on disk (sorted, unique). */
export function knownStores(dataDir: string): string[] {
  const configured = readConfig(dataDir, (s) => s.current().config.stores.map((x) => x.name));
  return [...new Set([...configured, ...storesOnDisk(dataDir)])].sort();
}

/**
 * How store `name` of an existing data directory can be read without a server: "files" (its
 * directory exists) or "empty" (a configured file store that never stored a record). Throws
 * not_found for an unknown store (naming the known ones, in the words a server's
 * api/services/stores.ts uses, so a query says the same locally and remotely) and for a memory
 * store.
 */
export function readableStore(dataDir: string, name: string): "files" | "empty" {
  if (existsSync(storeDir(dataDir, name))) return "files";
  const s = readConfig(dataDir, (c) => c.current().config.stores.find((x) => x.name === name));
  if (s?.type === "memory") throw new LogError("not_found", `store '${name}' is a memory store: its records exist only in a running server, and none holds ${dataDir}`);
  if (s) return "empty";
  throw new LogError("not_found", `unknown store '${name}'; stores: ${knownStores(dataDir).join(", ") || "(none)"}`);
}
