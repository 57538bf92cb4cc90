/**
 * The store directory lock (one process per store): `<dir>/.lock` holds {pid, host, startedAt}. It is
 * created atomically with its content (write a private temp file, then hard-link it to .lock,
 * which fails if .lock exists — O_EXCL semantics without a half-written window). A lock whose
 * pid is dead on this host is stale and taken over; the takeover is reported. liveLockHolder
 * tells, without writing anything, who holds a lock that is not stale (readers then open the
 * store read-only: read-only-store.ts).
 */

import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { LogError, errorMessage } from "../../core/errors.ts";
import { LOCK_FILE } from "./format.ts";

/** Content of the .lock file. */
export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held lock. */
export interface DirLock {
  /** Set when a stale lock was taken over: what it said. */
  readonly takeover: string | undefined;
  release(): void;
}

/** Takes the lock of `dir` or throws LogError("locked"). */
export function acquireLock(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, JSON.stringify(mine));
  let takeover: string | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw err;
      }
      const held = readLock(path);
      if (held.info && isAlive(held.info)) {
        throw new LogError("locked", `store directory ${dir} is locked by pid ${held.info.pid} on ${held.info.host} (started ${held.info.startedAt})`);
      }
      takeover = held.info ? `stale lock of pid ${held.info.pid} on ${held.info.host} (started ${held.info.startedAt})` : `unreadable lock file (${held.error})`;
      removeIfSame(path, held.ino);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  const ino = statSync(path).ino;
  return {
    takeover,
    release() {
      removeIfSame(path, ino);
    },
  };
}

/** The process holding `dir`'s lock when it is alive (or on another host); undefined when none or stale. Writes nothing. */
export function liveLockHolder(dir: string): LockInfo | undefined {
  const { info } = readLock(join(dir, LOCK_FILE));
  return info && isAlive(info) ? info : undefined;
}

function readLock(path: string): { info?: LockInfo; error?: string; ino: number } {
  let ino = -1;
  try {
    ino = statSync(path).ino;
    const v = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    if (!Number.isInteger(v.pid) || typeof v.host !== "string") return { error: "missing pid or host", ino };
    return { info: v, ino };
  } catch (err) {
    return { error: errorMessage(err), ino };
  }
}

/** A lock from another host is never considered stale (its pid means nothing here). */
function isAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeIfSame(path: string, ino: number): void {
  try {
    if (statSync(path).ino === ino) rmSync(path);
  } catch {
    // already gone: nothing to release
  }
}
