/**
 * The declarative config file (`serve --config FILE`, `config apply FILE`): JSON, or TOML when
 * the name ends in .toml, with the shape of schema.ts (docs/config.md). A file is applied as a
 * new version only when its normalized form differs from the current config; watchConfigFile
 * re-applies it when its content changes on disk.
 */

import { readFileSync } from "node:fs";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { errorMessage, LogError } from "../core/errors.ts";
import type { ChangeMeta, ConfigStore, ConfigVersion } from "./store.ts";

/** Reads and parses a config file (not yet validated); LogError("invalid_argument") when unreadable. */
export function loadConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new LogError("not_found", `cannot read config file ${path}: ${errorMessage(err)}`);
  }
  return parseConfigText(text, path.toLowerCase().endsWith(".toml") ? "toml" : "json", path);
}

/**
 * Parses config text; `source` names it in errors, which say where the text went wrong
 * (`source:LINE:COLUMN: what`): TOML by smol-toml (TOML 1.0, positions in its errors), JSON by
 * JSON.parse with jsonc-parser (strict: no comments, no trailing commas) locating its failure.
 */
export function parseConfigText(text: string, format: "json" | "toml", source: string): unknown {
  if (format === "toml") {
    try {
      return parseToml(text);
    } catch (err) {
      const where = err instanceof TomlError ? `${err.line}:${err.column}: ` : "";
      throw new LogError("invalid_argument", `${source}:${where}not valid TOML: ${errorMessage(err).split("\n")[0]!.replace(/^Invalid TOML document: /, "")}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const found: ParseError[] = [];
    parseJsonc(text, found, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = found[0];
    if (!first) throw new LogError("invalid_argument", `${source}: not valid JSON: ${errorMessage(err)}`);
    const { line, column } = lineColumn(text, first.offset);
    const what = printParseErrorCode(first.error).replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase();
    throw new LogError("invalid_argument", `${source}:${line}:${column}: not valid JSON: ${what}`);
  }
}

/** 1-based line and column (in UTF-16 units) of `offset` in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Outcome of applying a file: the version now current and whether the file created it. */
export interface FileApplyResult {
  changed: boolean;
  version: ConfigVersion;
}

/**
 * Applies the config file at `path` as a new version when it differs from the current config
 * (after normalization); otherwise stores nothing. Throws ConfigError when the file is invalid.
 */
export function applyFileIfChanged(store: ConfigStore, path: string, meta: Omit<ChangeMeta, "reason"> & { reason?: string }): FileApplyResult {
  const before = store.current().version;
  const version = store.apply(loadConfigFile(path), { ...meta, reason: meta.reason ?? `applied ${path}` });
  return { changed: version.version !== before, version };
}

export interface FileWatchOptions {
  author: string;
  /** How often the file's content is compared; default 1000 ms. */
  pollMs?: number;
  /** A new version was stored from the file. */
  onApplied?: (v: ConfigVersion) => void;
  /** The file could not be read or was invalid; the current config stays. */
  onError?: (err: unknown) => void;
}

/**
 * Polls `path` and applies it whenever its text changes (an edit by an operator or a config
 * management tool). The first check happens after one period: apply at start with
 * applyFileIfChanged. Returns a stop function.
 */
export function watchConfigFile(store: ConfigStore, path: string, o: FileWatchOptions): () => void {
  let last = readOrUndefined(path);
  const timer = setInterval(() => {
    const text = readOrUndefined(path);
    if (text === undefined || text === last) return;
    last = text;
    try {
      const r = applyFileIfChanged(store, path, { author: o.author, reason: `${path} changed on disk` });
      if (r.changed) o.onApplied?.(r.version);
    } catch (err) {
      o.onError?.(err);
    }
  }, o.pollMs ?? 1000);
  timer.unref?.();
  return () => clearInterval(timer);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
