/**
 * The config store contract: every change is validated, then kept as a new numbered version
 * with who/what/when and its diff; versions are never rewritten, a rollback is a new version.
 * Implemented by memory-store.ts and sqlite-store.ts; one conformance suite
 * (conformance.suite.ts) runs against both. Version 0 is the implicit default config.
 */

import { LogError } from "../core/errors.ts";
import { diffConfigs, type DiffEntry } from "./diff.ts";
import { configJson, defaultConfig, type GastroConfig } from "./schema.ts";
import { validateConfig, type ValidateOptions } from "./validate.ts";

/** Who made a change and why (shown by `config history`). */
export interface ChangeMeta {
  author: string;
  reason: string;
  /**
   * Optimistic concurrency: reject the change with LogError("unavailable") unless the current
   * version is still this one (read-modify-write from a CLI or API client).
   */
  ifVersion?: number;
  /** Allows a change that leaves no store (refused otherwise: every record would be dropped). */
  force?: boolean;
}

/** How a version came to be. */
export type ChangeKind = "apply" | "rollback";

/** A version's header: everything except the config itself. */
export interface VersionInfo {
  version: number;
  /** Epoch microseconds. */
  at: number;
  author: string;
  reason: string;
  kind: ChangeKind;
  /** For rollbacks: the version whose config was restored. */
  rollbackOf?: number;
  /** Differences from the previous version. */
  diff: DiffEntry[];
}

/** One stored version with its whole (normalized) config. */
export interface ConfigVersion extends VersionInfo {
  config: GastroConfig;
}

/** Called with each new version, in order, whichever process made it. */
export type ConfigListener = (v: ConfigVersion) => void;

export interface ConfigStore {
  /** The newest version (version 0 with the default config when nothing was applied yet). */
  current(): ConfigVersion;
  /**
   * Validates `config` (any JSON value) and stores it as the next version. Throws ConfigError
   * and stores nothing when invalid. A config equal to the current one stores nothing and
   * returns the current version (check `version` to tell).
   */
  apply(config: unknown, meta: ChangeMeta): ConfigVersion;
  /** Version headers, newest first; at most `limit` (default all). */
  history(limit?: number): VersionInfo[];
  /** A version by number; LogError("not_found") when it does not exist. */
  get(version: number): ConfigVersion;
  /** Differences from version `a` to version `b` (default: current). */
  diff(a: number, b?: number): DiffEntry[];
  /** Stores version `version`'s config as a new version (kind "rollback"). */
  rollback(version: number, meta: ChangeMeta): ConfigVersion;
  /** The current config as pretty JSON text (loadConfigFile reads it back). */
  export(): string;
  /**
   * Calls `listener` for every version stored after this call, by this process or another
   * (the sqlite store polls the database). Returns the unsubscribe function.
   */
  watch(listener: ConfigListener): () => void;
  close(): void;
}

/** Options shared by both implementations. */
export interface ConfigStoreOptions extends ValidateOptions {
  /** Epoch-µs clock for version timestamps. */
  clock?: () => number;
  /** Told when a watch listener throws (the store carries on). */
  onListenerError?: (err: unknown) => void;
}

/** The implicit version 0. */
export function initialVersion(): ConfigVersion {
  return { version: 0, at: 0, author: "", reason: "initial defaults", kind: "apply", diff: [], config: defaultConfig() };
}

/**
 * Builds the next version from the current one, or returns undefined when `config` equals it.
 * Throws ConfigError for invalid input, LogError("unavailable") on an ifVersion mismatch.
 */
export function nextVersion(
  cur: ConfigVersion,
  input: unknown,
  meta: ChangeMeta,
  kind: ChangeKind,
  at: number,
  options: ValidateOptions,
  rollbackOf?: number,
): ConfigVersion | undefined {
  if (meta.ifVersion !== undefined && meta.ifVersion !== cur.version) {
    throw new LogError("unavailable", `config changed concurrently: it is at version ${cur.version}, the change was made against version ${meta.ifVersion}; re-read and retry`);
  }
  const config = validateConfig(input, options);
  if (configJson(config) === configJson(cur.config)) return undefined;
  if (config.stores.length === 0 && cur.config.stores.length > 0 && !meta.force) {
    const names = cur.config.stores.map((s) => s.name).join(", ");
    throw new LogError("invalid_argument", `this change removes the last store (${names}): no record could be kept, every one received would be dropped as unrouted; repeat it with --force to do it anyway`);
  }
  const v: ConfigVersion = { version: cur.version + 1, at, author: meta.author, reason: meta.reason, kind, diff: diffConfigs(cur.config, config), config };
  if (rollbackOf !== undefined) v.rollbackOf = rollbackOf;
  return v;
}

/** The header of a version (drops the config). */
export function infoOf(v: ConfigVersion): VersionInfo {
  const { config: _, ...info } = v;
  return info;
}

/** LogError("not_found") for a missing version. */
export function noSuchVersion(version: number, latest: number): LogError {
  return new LogError("not_found", `config version ${version} does not exist (versions 0..${latest})`);
}

/** Calls every listener with `v`, reporting (not propagating) their errors. */
export function notify(listeners: Iterable<ConfigListener>, v: ConfigVersion, onError: ((err: unknown) => void) | undefined): void {
  for (const l of listeners) {
    try {
      l(v);
    } catch (err) {
      onError?.(err);
    }
  }
}
