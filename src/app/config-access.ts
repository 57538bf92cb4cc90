/**
 * How CLI commands reach the config of a data directory without a server (config-target.ts
 * picks this or a running server): reads open
 * `<data>/config.sqlite` (or show the defaults when it does not exist yet, creating nothing);
 * writes first take `<data>/.lock` and every `<data>/stores/<name>/.lock`, so they fail clearly
 * while a server (or an import) holds the directory, then apply and release.
 */

import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { LogError } from "../core/errors.ts";
import { formatShort } from "../core/time.ts";
import { MemoryConfigStore } from "../config/memory-store.ts";
import { configDbPath, openSqliteConfigStore } from "../config/sqlite-store.ts";
import type { ConfigStore, ConfigStoreOptions, VersionInfo } from "../config/store.ts";
import { acquireLock, type DirLock } from "../storage/file/lock.ts";
import { renderTable } from "./cli/table.ts";

/**
 * Runs `fn` with the data dir's config store for reading. Reads validate nothing, so no
 * receiver validators (and no receiver code) are loaded for them.
 */
export function readConfig<T>(dataDir: string, fn: (store: ConfigStore) => T): T {
  const path = configDbPath(dataDir);
  const store = existsSync(path) ? openSqliteConfigStore(path) : new MemoryConfigStore();
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/**
 * Runs `fn` with the config store for writing, holding the data dir and store locks;
 * `options` carries the validators (configStoreOptions in server/receiver-config.ts).
 */
export function writeConfig<T>(dataDir: string, options: ConfigStoreOptions, fn: (store: ConfigStore) => T): T {
  const locks: DirLock[] = [];
  mkdirSync(dataDir, { recursive: true });
  try {
    locks.push(lockOrExplain(dataDir, dataDir));
    const stores = join(dataDir, "stores");
    for (const name of existsSync(stores) ? readdirSync(stores) : []) locks.push(lockOrExplain(join(stores, name), dataDir));
    const store = openSqliteConfigStore(configDbPath(dataDir), options);
    try {
      return fn(store);
    } finally {
      store.close();
    }
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}

function lockOrExplain(dir: string, dataDir: string): DirLock {
  try {
    return acquireLock(dir);
  } catch (err) {
    if (err instanceof LogError && err.code === "locked") {
      throw new LogError("locked", `${err.message}; a running gastrolog owns ${dataDir}: change the config through it (--addr SOCKET or http://HOST:PORT) or stop it first`);
    }
    throw err;
  }
}

/** Who is changing the config from this command line: `$USER@host`. */
export function cliAuthor(env: Record<string, string | undefined>): string {
  return `${env.USER || env.LOGNAME || "unknown"}@${hostname()}`;
}

/** `version 3 · 2025-03-01 10:00:00 UTC · alice@box · rollback of 1 · "reason"`. */
export function versionLine(v: VersionInfo): string {
  if (v.version === 0) return "version 0 · defaults (nothing applied yet)";
  const kind = v.kind === "rollback" ? ` · rollback of ${v.rollbackOf}` : "";
  return `version ${v.version} · ${formatShort(v.at)} UTC · ${v.author}${kind} · ${JSON.stringify(v.reason)}`;
}

/** The history table: newest first, one line per version. */
export function renderHistory(versions: readonly VersionInfo[]): string {
  if (versions.length === 0) return "no config versions yet (the defaults apply)\n";
  const rows = versions.map((v) => [String(v.version), formatShort(v.at), v.author, v.kind === "rollback" ? `rollback→${v.rollbackOf}` : v.kind, String(v.diff.length), v.reason]);
  return renderTable(["VERSION", "WHEN (UTC)", "AUTHOR", "KIND", "CHANGES", "REASON"], rows, [0]);
}
