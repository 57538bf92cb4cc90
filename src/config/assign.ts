/**
 * Field edits as `PATH=VALUE` text, shared by `gastrolog config set`, `retention set` and the
 * API's SetConfig / SetRetention: parse the assignments, apply them to the current config
 * (json-path.ts) and store the result as one version, conditional on the version read.
 */

import { LogError } from "../core/errors.ts";
import { parseValue, setPath } from "./json-path.ts";
import type { ChangeMeta, ConfigStore, ConfigVersion } from "./store.ts";

/** A stored change: the version now current and whether this change created it. */
export interface ChangeResult {
  changed: boolean;
  version: ConfigVersion;
}

/** Retention keys a store accepts in `retention set`. */
export const RETENTION_KEYS = ["maxAge", "maxBytes", "maxChunks"] as const;

/** `KEY=VALUE` split at the first `=`; VALUE is JSON when it parses, else text. */
export function splitAssignment(text: string): [string, unknown] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new LogError("invalid_argument", `expected KEY=VALUE, got '${text}'`);
  return [text.slice(0, eq), parseValue(text.slice(eq + 1))];
}

/** Applies `assignments` to the current config as one new version (ifVersion = the version read). */
export function applyAssignments(store: ConfigStore, assignments: readonly string[], meta: Omit<ChangeMeta, "ifVersion"> & { ifVersion?: number }): ChangeResult {
  if (assignments.length === 0) throw new LogError("invalid_argument", "no assignments given: expected PATH=VALUE, e.g. server.logLevel=debug");
  const cur = store.current();
  let doc: unknown = cur.config;
  for (const a of assignments) doc = setPath(doc, ...splitAssignment(a));
  const v = store.apply(doc, { ...meta, ifVersion: meta.ifVersion ?? cur.version });
  return { changed: v.version !== cur.version, version: v };
}

/**
 * `maxAge=7d maxBytes=10GB maxChunks=5` for store `name` as config path assignments; throws
 * not_found for an unknown store and invalid_argument for other keys.
 */
export function retentionAssignments(store: ConfigStore, name: string, assignments: readonly string[]): string[] {
  const stores = store.current().config.stores;
  if (!stores.some((s) => s.name === name)) throw new LogError("not_found", `no store '${name}' in the config (stores: ${stores.map((s) => s.name).join(", ") || "none"})`);
  if (assignments.length === 0) throw new LogError("invalid_argument", `no retention given: expected KEY=VALUE with KEY one of ${RETENTION_KEYS.join(", ")}`);
  return assignments.map((a) => {
    const eq = a.indexOf("=");
    const key = eq < 0 ? a : a.slice(0, eq);
    if (eq < 0 || !(RETENTION_KEYS as readonly string[]).includes(key)) {
      throw new LogError("invalid_argument", `expected KEY=VALUE with KEY one of ${RETENTION_KEYS.join(", ")}, got '${a}'`);
    }
    return `stores[${name}].retention.${a}`;
  });
}
