/**
 * Where `gastrolog config` and `retention` act: a running server through the API (--addr, or
 * the server found holding --data) or the data directory's SQLite file directly (no server).
 * Both are one async ConfigTarget, so every subcommand has exactly one code path.
 */

import { existsSync } from "node:fs";
import { LogError } from "../core/errors.ts";
import type { ChangeMeta, ConfigStore, ConfigVersion, VersionInfo } from "../config/store.ts";
import type { DiffEntry } from "../config/diff.ts";
import { applyAssignments, retentionAssignments } from "../config/assign.ts";
import { storeRuntime } from "../config/runtime.ts";
import { RetentionRunner, type RetentionTarget, type SweepResult } from "../storage/retention/runner.ts";
import { readConfig, writeConfig } from "./config-access.ts";
import { configStoreOptions } from "./server/receiver-config.ts";
import { storeDir } from "./paths.ts";
import { openStore, type OpenedStore } from "./stores.ts";

/** What a change did. */
export interface ChangeOutcome {
  changed: boolean;
  /** The version now current (with its diff when `changed`). */
  version: VersionInfo;
  /** A server stored the version but could not apply all of it. */
  applyError?: string;
}

/** Author and reason of a change. */
export type Meta = Omit<ChangeMeta, "ifVersion">;

export interface ConfigTarget {
  /** A version (default: current) with its config. */
  get(version?: number): Promise<ConfigVersion>;
  history(limit?: number): Promise<VersionInfo[]>;
  diff(a: number, b?: number): Promise<DiffEntry[]>;
  export(): Promise<string>;
  set(assignments: string[], meta: Meta): Promise<ChangeOutcome>;
  rollback(version: number, meta: Meta): Promise<ChangeOutcome>;
  /** Makes `config` (parsed file content) the current config. */
  apply(config: unknown, meta: Meta): Promise<ChangeOutcome>;
  setRetention(store: string, assignments: string[], meta: Meta): Promise<ChangeOutcome>;
  /** Deletes what retention selects now (all stores or one). */
  sweep(store?: string): Promise<SweepResult>;
  close(): void;
}

/** The data directory's config, used while no server holds it. */
export function localTarget(dataDir: string): ConfigTarget {
  const change = async (fn: (s: ConfigStore) => ChangeOutcome) => writeConfig(dataDir, configStoreOptions(), fn);
  return {
    get: async (n) => readConfig(dataDir, (s) => (n === undefined ? s.current() : s.get(n))),
    history: async (limit) => readConfig(dataDir, (s) => s.history(limit)),
    diff: async (a, b) => readConfig(dataDir, (s) => s.diff(a, b)),
    export: async () => readConfig(dataDir, (s) => s.export()),
    set: (assignments, meta) => change((s) => applyAssignments(s, assignments, meta)),
    rollback: (version, meta) =>
      change((s) => {
        const before = s.current().version;
        const v = s.rollback(version, meta);
        return { changed: v.version !== before, version: v };
      }),
    apply: (config, meta) =>
      change((s) => {
        const before = s.current().version;
        const v = s.apply(config, meta);
        return { changed: v.version !== before, version: v };
      }),
    setRetention: (store, assignments, meta) => change((s) => applyAssignments(s, retentionAssignments(s, store, assignments), meta)),
    sweep: (store) => sweepLocal(dataDir, store),
    close() {},
  };
}

/** Opens the configured file stores that exist on disk and applies their policies once. */
async function sweepLocal(dataDir: string, only: string | undefined): Promise<SweepResult> {
  const stores = readConfig(dataDir, (s) => s.current().config.stores).filter((s) => only === undefined || s.name === only);
  if (only !== undefined && stores.length === 0) throw new LogError("not_found", `no store '${only}' in the config`);
  const opened: OpenedStore[] = [];
  try {
    const targets: RetentionTarget[] = [];
    for (const s of stores) {
      if (s.type !== "file" || !existsSync(storeDir(dataDir, s.name))) continue;
      const rt = storeRuntime(s);
      const o = await openStore(dataDir, s.name, { codec: rt.codec, level: rt.level, rotation: rt.rotation, durability: rt.durability });
      opened.push(o);
      targets.push({ name: s.name, store: o.store, policy: rt.retention });
    }
    return await new RetentionRunner(targets).sweepNow();
  } finally {
    for (const o of opened) await o.close();
  }
}
