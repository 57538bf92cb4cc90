/**
 * Where GastroLog keeps data by default: $GASTROLOG_DATA, else $XDG_DATA_HOME/gastrolog, else
 * ~/.local/share/gastrolog. A store named N lives in <data>/stores/N.
 */

import { homedir } from "node:os";
import { join } from "node:path";
import { LogError } from "../core/errors.ts";

export function defaultDataDir(env: Record<string, string | undefined>): string {
  if (env.GASTROLOG_DATA) return env.GASTROLOG_DATA;
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(base, "gastrolog");
}

const STORE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Directory of store `name` under `dataDir`; rejects names that are not plain identifiers. */
export function storeDir(dataDir: string, name: string): string {
  if (!STORE_NAME.test(name)) {
    throw new LogError("invalid_argument", `invalid store name '${name}': use 1-64 letters, digits, '_', '.', '-'`);
  }
  return join(dataDir, "stores", name);
}
