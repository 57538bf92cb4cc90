/**
 * `<data>/imports/<store>.json`: where the last `gastrolog import` into a store stands, so an
 * interrupted import can be resumed (`import --resume`) without losing or repeating lines.
 * Rewritten atomically (temp file + rename) after every acknowledged append; a kill leaves
 * the last acknowledged state, which is a lower bound of what the store holds.
 */

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LogError, errorMessage } from "../core/errors.ts";
import type { RecordRef } from "../core/record.ts";
import type { ImportPosition } from "../ingest/import/import-files.ts";

/** How the run that last wrote the checkpoint ended. */
export type ImportState =
  /** Still running, or killed: the store may hold up to one more batch than `position` says. */
  | "running"
  /** Stopped by a signal after every append in flight was acknowledged: exact. */
  | "stopped"
  /** Failed with an error (the failed append may have stored a prefix of its batch). */
  | "failed"
  | "finished";

export interface ImportCheckpoint {
  version: 1;
  store: string;
  /** Absolute paths, in import order ("-" = standard input). */
  files: string[];
  /** Where the import stands: every line before this point is stored. */
  position: ImportPosition;
  /** The store's record just before `position` (none: the import started on an empty store). */
  after?: RecordRef;
  /** Records appended by all runs of this import. */
  records: number;
  state: ImportState;
  /** "store" = appended to the store files, "server" = through a running server. */
  via: "store" | "server";
  updatedAt: string;
}

/** Path of the checkpoint of `store` under `dataDir`. */
export function checkpointPath(dataDir: string, store: string): string {
  return join(dataDir, "imports", `${store}.json`);
}

/** The checkpoint of `store`, or undefined when there is none. Throws when it is unreadable. */
export function readCheckpoint(dataDir: string, store: string): ImportCheckpoint | undefined {
  const path = checkpointPath(dataDir, store);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as ImportCheckpoint;
    if (c.version !== 1 || !Array.isArray(c.files) || typeof c.position?.file !== "number") throw new Error("unknown layout");
    return c;
  } catch (err) {
    throw new LogError("corrupt", `import checkpoint ${path} is unreadable (${errorMessage(err)}); delete it to start afresh`);
  }
}

type CheckpointFields = Omit<ImportCheckpoint, "version" | "updatedAt">;

/** Replaces the checkpoint atomically. */
export function writeCheckpoint(dataDir: string, c: CheckpointFields): void {
  const [path, tmp] = checkpointFiles(dataDir, c.store);
  writeFileSync(tmp, checkpointText(c));
  renameSync(tmp, path);
}

/**
 * writeCheckpoint off the event loop: a rename over the old file can wait on a disk busy with
 * the store's fsyncs for tens of milliseconds. One at a time (they share the temp file).
 */
export async function writeCheckpointAsync(dataDir: string, c: CheckpointFields): Promise<void> {
  const [path, tmp] = checkpointFiles(dataDir, c.store);
  await writeFile(tmp, checkpointText(c));
  await rename(tmp, path);
}

function checkpointFiles(dataDir: string, store: string): [path: string, tmp: string] {
  const path = checkpointPath(dataDir, store);
  mkdirSync(join(dataDir, "imports"), { recursive: true });
  return [path, `${path}.${process.pid}.tmp`];
}

function checkpointText(c: CheckpointFields): string {
  return JSON.stringify({ version: 1, ...c, updatedAt: new Date().toISOString() }, null, 1) + "\n";
}
