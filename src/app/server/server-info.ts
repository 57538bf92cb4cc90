/**
 * `<data>/server.json`: where the server holding a data directory listens, written once its
 * listeners are up and removed at shutdown, so `gastrolog config` / `retention` without --addr
 * find a running server (and its socket, even a non-default one) instead of the SQLite file.
 * Only the holder of the data-dir lock writes or removes it. A file left by a crashed server
 * is recognized by its dead pid and ignored.
 */

import { readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const SERVER_INFO_FILE = "server.json";

export interface ServerInfo {
  pid: number;
  host: string;
  /** Unix socket path, "" when the server has none. */
  socket: string;
  /** HTTP "host:port", "" when the server has none. */
  http: string;
  /** True when the HTTP listener speaks TLS (https://). */
  tls?: boolean;
}

/** The base URL of a server's HTTP listener ("" when it has none). */
export function httpBase(info: ServerInfo): string {
  return info.http === "" ? "" : `${info.tls ? "https" : "http"}://${info.http}`;
}

/** Writes the info file atomically (temp file + rename). */
export function writeServerInfo(dataDir: string, info: Omit<ServerInfo, "pid" | "host">): void {
  const path = join(dataDir, SERVER_INFO_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, host: hostname(), ...info }) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Removes the info file if this process wrote it. Only the lock holder writes it, and a
 * process refused the lock must not delete the running server's file (issue 10, item 3).
 */
export function removeServerInfo(dataDir: string): void {
  const path = join(dataDir, SERVER_INFO_FILE);
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerInfo>;
    if (info.pid !== process.pid || info.host !== hostname()) return;
  } catch {
    return; // gone, or not ours to judge
  }
  rmSync(path, { force: true });
}

/** The running server of `dataDir` on this host, or undefined (no file, unreadable, dead pid). */
export function runningServer(dataDir: string): ServerInfo | undefined {
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(join(dataDir, SERVER_INFO_FILE), "utf8")) as ServerInfo;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(info.pid) || info.host !== hostname()) return undefined;
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return info;
}
