/**
 * The server's startup configuration until the config store (issue 6) replaces it: a minimal
 * JSON file `{ "stores": [{ "name", "rotation": { "maxBytes", "maxRecords", "maxAge" },
 * "durability" }] }`. All parsing of that file lives here so it can be swapped in one place.
 * With no file: one file store "default".
 */

import { readFileSync } from "node:fs";
import { errorMessage, LogError } from "../../core/errors.ts";
import { parseGoDuration } from "../../core/duration.ts";
import type { DurabilityPolicy, RotationPolicy } from "../../storage/types.ts";

export interface BootStore {
  name: string;
  rotation: RotationPolicy;
  durability: DurabilityPolicy;
}

export interface BootConfig {
  stores: BootStore[];
}

/** Rotation when none is configured: seal at 64 MiB so indexes get built. */
export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 64 << 20, maxRecords: 0, maxAgeMicros: 0 };

export const DEFAULT_CONFIG: BootConfig = { stores: [{ name: "default", rotation: DEFAULT_ROTATION, durability: { kind: "batch" } }] };

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function size(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  const m = typeof v === "string" ? /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(v) : null;
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new LogError("invalid_argument", `${where}: invalid size ${JSON.stringify(v)} (use bytes or 64MB, 1GB; units B KB MB GB)`);
  return Number(m[1]) * unit;
}

function durability(v: unknown, where: string): DurabilityPolicy {
  if (v === undefined || v === "batch") return { kind: "batch" };
  if (v === "never") return { kind: "never" };
  const m = typeof v === "string" ? /^interval:(\d+)$/.exec(v) : null;
  if (m) return { kind: "interval", everyMs: Number(m[1]) };
  throw new LogError("invalid_argument", `${where}: invalid durability ${JSON.stringify(v)} (batch, interval:<ms> or never)`);
}

function rotation(v: unknown, where: string): RotationPolicy {
  if (v === undefined) return DEFAULT_ROTATION;
  if (typeof v !== "object" || v === null) throw new LogError("invalid_argument", `${where}: rotation must be an object`);
  const r = v as Record<string, unknown>;
  const age = r.maxAge === undefined ? 0 : typeof r.maxAge === "string" ? parseGoDuration(r.maxAge) : undefined;
  if (age === undefined) throw new LogError("invalid_argument", `${where}.maxAge: invalid duration ${JSON.stringify(r.maxAge)} (e.g. 90s, 1h30m)`);
  return { maxBytes: r.maxBytes === undefined ? 0 : size(r.maxBytes, `${where}.maxBytes`), maxRecords: r.maxRecords === undefined ? 0 : size(r.maxRecords, `${where}.maxRecords`), maxAgeMicros: age };
}

/** Parses the JSON text of a boot config; `file` names it in errors. */
export function parseBootConfig(text: string, file: string): BootConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new LogError("invalid_argument", `${file}: not valid JSON: ${errorMessage(err)}`);
  }
  const stores = (doc as { stores?: unknown })?.stores;
  if (!Array.isArray(stores) || stores.length === 0) throw new LogError("invalid_argument", `${file}: expected {"stores": [{"name": ...}, ...]} with at least one store`);
  const seen = new Set<string>();
  return {
    stores: stores.map((s: Record<string, unknown>, i) => {
      const where = `${file}: stores[${i}]`;
      if (typeof s?.name !== "string" || s.name === "") throw new LogError("invalid_argument", `${where}: "name" is required`);
      if (seen.has(s.name)) throw new LogError("invalid_argument", `${where}: duplicate store name '${s.name}'`);
      seen.add(s.name);
      return { name: s.name, rotation: rotation(s.rotation, `${where}.rotation`), durability: durability(s.durability, `${where}.durability`) };
    }),
  };
}

/** Reads `file`, or returns the default config when no file is given. */
export function loadBootConfig(file: string | undefined): BootConfig {
  if (file === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new LogError("not_found", `cannot read config file ${file}: ${errorMessage(err)}`);
  }
  return parseBootConfig(text, file);
}
