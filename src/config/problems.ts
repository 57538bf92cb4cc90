/**
 * Problem collection for config validation: every check records a JSON path and a message and
 * carries on, so one invalid change reports everything wrong with it at once. Also the small
 * typed readers validate.ts and receiver validators use on untrusted JSON values.
 */

import { LogError } from "../core/errors.ts";

/** One thing wrong with a config, at a JSON path like `$.stores[1].retention.maxAge`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** The error of a rejected config: code invalid_argument, the message lists every problem. */
export class ConfigError extends LogError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
    super("invalid_argument", `invalid config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Collects problems while reading an untrusted JSON value. */
export class Problems {
  readonly list: ConfigProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  /** Throws ConfigError when anything was recorded. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError(this.list);
  }

  /** `v` as a plain object (or {} after recording a problem); unknown keys are reported. */
  object(v: unknown, path: string, known: readonly string[]): Record<string, unknown> {
    if (v === undefined || v === null) return {};
    if (typeof v !== "object" || Array.isArray(v)) {
      this.add(path, `expected an object, got ${describe(v)}`);
      return {};
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!known.includes(k)) this.add(`${path}.${k}`, `unknown field (known: ${known.join(", ")})`);
    return o;
  }

  /** A string field, `fallback` when absent. */
  string(o: Record<string, unknown>, key: string, path: string, fallback: string): string {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "string") {
      this.add(`${path}.${key}`, `expected a string, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  /** One of `allowed`, `fallback` when absent. */
  oneOf<T extends string>(o: Record<string, unknown>, key: string, path: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(o, key, path, fallback);
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.add(`${path}.${key}`, `must be one of ${allowed.join(", ")}, got "${v}"`);
    return fallback;
  }

  /** An integer in [min, max], `fallback` when absent. */
  int(o: Record<string, unknown>, key: string, path: string, min: number, max: number, fallback: number): number {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      this.add(`${path}.${key}`, `expected an integer in ${min}..${max}, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  boolean(o: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      this.add(`${path}.${key}`, `expected true or false, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  /** An array (or [] after recording a problem). */
  array(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.add(path, `expected an array, got ${describe(v)}`);
      return [];
    }
    return v;
  }
}

/** A short rendering of a bad value for messages: strings quoted, long values cut. */
export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
