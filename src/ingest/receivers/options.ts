/**
 * Typed readers for the free-form `options` of a ReceiverConfig: each returns the default when
 * the key is absent and throws LogError("invalid_argument") naming the receiver and key when
 * the value has the wrong type or range.
 */

import { LogError } from "../../core/errors.ts";
import type { ReceiverConfig } from "./receiver.ts";

/** A non-negative integer option. */
export function intOption(c: ReceiverConfig, key: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = c.options?.[key];
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new LogError("invalid_argument", `receiver ${c.id}: option ${key} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A boolean option. */
export function boolOption(c: ReceiverConfig, key: string, def: boolean): boolean {
  const v = c.options?.[key];
  if (v === undefined) return def;
  if (typeof v !== "boolean") throw new LogError("invalid_argument", `receiver ${c.id}: option ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** A string option (non-empty unless `allowEmpty`). */
export function stringOption(c: ReceiverConfig, key: string, def: string, allowEmpty = false): string {
  const v = c.options?.[key];
  if (v === undefined) return def;
  if (typeof v !== "string" || (!allowEmpty && v === "")) throw new LogError("invalid_argument", `receiver ${c.id}: option ${key} must be a${allowEmpty ? "" : " non-empty"} string, got ${JSON.stringify(v)}`);
  return v;
}

/** Rejects options this receiver type does not know (typos must not pass silently). */
export function checkOptionKeys(c: ReceiverConfig, known: readonly string[]): void {
  for (const k of Object.keys(c.options ?? {})) {
    if (!known.includes(k)) throw new LogError("invalid_argument", `receiver ${c.id} (${c.type}): unknown option ${JSON.stringify(k)}; known: ${known.join(", ")}`);
  }
}

/** A string option restricted to `values`. */
export function enumOption<T extends string>(c: ReceiverConfig, key: string, values: readonly T[], def: T): T {
  const v = stringOption(c, key, def, true);
  if (!(values as readonly string[]).includes(v)) throw new LogError("invalid_argument", `receiver ${c.id}: option ${key} must be one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** A regular expression option (compiled; a bad pattern is an error naming it). */
export function regexOption(c: ReceiverConfig, key: string): RegExp | undefined {
  const v = stringOption(c, key, "", true);
  if (v === "") return undefined;
  try {
    return new RegExp(v);
  } catch (err) {
    throw new LogError("invalid_argument", `receiver ${c.id}: option ${key} is not a valid regular expression (${(err as Error).message}): ${JSON.stringify(v)}`);
  }
}
