/**
 * Chatterbox parameters: all strings, validated into a config with defaults.
 * Errors name the parameter and quote the bad value.
 */

import { DURATION_FORMS, parseDuration } from "../../../core/duration.ts";
import { LogError } from "../../../core/errors.ts";

export const FORMATS = ["plain", "kv", "json", "access", "syslog", "weird"] as const;
export type ChatterFormat = (typeof FORMATS)[number];

export interface ChatterboxConfig {
  /** Microseconds. */
  minInterval: number;
  maxInterval: number;
  instance: string;
  /** Enabled formats with their positive integer weights. */
  weights: { format: ChatterFormat; weight: number }[];
  hostCount: number;
  serviceCount: number;
}

function bad(param: string, value: string, want: string): LogError {
  return new LogError("invalid_argument", `chatterbox: invalid ${param} '${value}': ${want}`);
}

function duration(p: Record<string, string>, key: string, def: string): number {
  const v = p[key] ?? def;
  const d = parseDuration(v);
  if (d === undefined) throw bad(key, v, `expected ${DURATION_FORMS}`);
  return d;
}

function positiveInt(p: Record<string, string>, key: string, def: number): number {
  const v = p[key];
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw bad(key, v, "expected a positive integer");
  return Number(v);
}

function formats(p: Record<string, string>): ChatterFormat[] {
  const v = p.formats;
  if (v === undefined || v.trim() === "") return [...FORMATS];
  const names = [...new Set(v.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
  if (names.length === 0) throw bad("formats", v, "no format named");
  for (const n of names) if (!(FORMATS as readonly string[]).includes(n)) throw bad("formats", v, `unknown format '${n}' (known: ${FORMATS.join(", ")})`);
  return names as ChatterFormat[];
}

function weights(p: Record<string, string>, enabled: ChatterFormat[]): ChatterboxConfig["weights"] {
  const w = new Map<string, number>(enabled.map((f) => [f, 1]));
  for (const part of (p.formatWeights ?? "").split(",")) {
    if (part.trim() === "") continue;
    const m = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || Number(m[2]) <= 0) throw bad("formatWeights", p.formatWeights!, "expected name=positive integer pairs, e.g. json=3,plain=1");
    if (!(FORMATS as readonly string[]).includes(m[1]!)) throw bad("formatWeights", p.formatWeights!, `unknown format '${m[1]}'`);
    if (w.has(m[1]!)) w.set(m[1]!, Number(m[2]));
  }
  return enabled.map((format) => ({ format, weight: w.get(format)! }));
}

/** Validates chatterbox params (all optional). */
export function parseChatterboxParams(p: Record<string, string>): ChatterboxConfig {
  const minInterval = duration(p, "minInterval", "100ms");
  const maxInterval = duration(p, "maxInterval", "1s");
  if (minInterval > maxInterval) throw bad("minInterval", p.minInterval ?? "100ms", `must not exceed maxInterval (${p.maxInterval ?? "1s"})`);
  const enabled = formats(p);
  return {
    minInterval,
    maxInterval,
    instance: p.instance ?? "default",
    weights: weights(p, enabled),
    hostCount: positiveInt(p, "hostCount", 10),
    serviceCount: positiveInt(p, "serviceCount", 5),
  };
}
