/**
 * REPL settings changed with `set key=value`: page size, output format and context records.
 * Pure: validation and messages only; the session holds the values.
 */

export type OutputFormat = "text" | "json";

export interface Settings {
  /** Records per page for query/next; 0 shows everything (default 10). */
  pager: number;
  output: OutputFormat;
  /** Records shown before and after every match. */
  context: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = { pager: 10, output: "text", context: 0 };

/** Setting names with their accepted values, for help and tab completion. */
export const SETTING_KEYS: Readonly<Record<keyof Settings, readonly string[]>> = {
  pager: ["0", "10", "50", "100"],
  output: ["text", "json"],
  context: ["0", "2", "5"],
};

/** Largest context asked for per side (the server caps context too). */
export const MAX_CONTEXT = 1000;

const NON_NEGATIVE = /^\d{1,9}$/;

/** `key=value` lines for `set` without arguments. */
export function describeSettings(s: Settings): string[] {
  return [`pager=${s.pager}`, `output=${s.output}`, `context=${s.context}`];
}

/** Applies one `key=value` argument; returns the message to print and whether it succeeded. */
export function applySetting(s: Settings, arg: string): { ok: boolean; message: string } {
  const eq = arg.indexOf("=");
  if (eq < 0) return { ok: false, message: `Invalid setting: ${arg} (expected key=value)` };
  const key = arg.slice(0, eq);
  const value = arg.slice(eq + 1);
  switch (key) {
    case "pager": {
      if (!NON_NEGATIVE.test(value)) return { ok: false, message: `Invalid pager value: ${value} (expected non-negative integer)` };
      s.pager = Number(value);
      return { ok: true, message: s.pager === 0 ? "Pager disabled (showing all results)." : `Pager set to ${s.pager}.` };
    }
    case "output": {
      if (value !== "text" && value !== "json") return { ok: false, message: `Invalid output value: ${value} (expected text or json)` };
      s.output = value;
      return { ok: true, message: `Output set to ${value}.` };
    }
    case "context": {
      if (!NON_NEGATIVE.test(value) || Number(value) > MAX_CONTEXT) {
        return { ok: false, message: `Invalid context value: ${value} (expected an integer from 0 to ${MAX_CONTEXT})` };
      }
      s.context = Number(value);
      return { ok: true, message: s.context === 0 ? "Context disabled." : `Context set to ${s.context} records before and after each match.` };
    }
    default:
      return { ok: false, message: `Unknown setting: ${key}` };
  }
}
