/**
 * Regex predicates' pattern rules, shared by the parser (which rejects a bad pattern with its
 * position) and the engine (which runs it): RE2 syntax through re2js, a linear-time engine, so
 * no pattern can stall a server; case-insensitive unless the pattern clears it with `(?-i)`;
 * patterns longer than MAX_REGEX_LENGTH are refused.
 */

import type { RE2JS } from "re2js";
import { LogError } from "../../core/errors.ts";

/** re2js, loaded on first use: most queries hold no regex, and loading it costs milliseconds. */
let re2: typeof RE2JS | undefined;

/** Longest pattern accepted (bytes of query text between the slashes). */
export const MAX_REGEX_LENGTH = 1024;

/** Compiles `pattern` (the text between the slashes); LogError("invalid_argument") when it is not valid RE2. */
export function compileRegex(pattern: string): RE2JS {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new LogError("invalid_argument", `regex longer than ${MAX_REGEX_LENGTH} characters (${pattern.length})`);
  }
  re2 ??= (require("re2js") as typeof import("re2js")).RE2JS;
  try {
    return re2.compile(pattern, re2.CASE_INSENSITIVE);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LogError("invalid_argument", `invalid regex /${pattern}/: ${message.replace(/^error parsing regexp: /, "").replace("`(?i)", "`")}`);
  }
}
