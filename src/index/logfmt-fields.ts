/**
 * Strict logfmt: a line that is nothing but `key=value` pairs separated by spaces (keys
 * `[A-Za-z_][A-Za-z0-9_.-]*`, at most 64 bytes), values bare
 * or double-quoted with `\"`, `\\`, `\n`, `\t`, `\r` escapes (`msg="user created"` keeps its
 * value, which the heuristic key=value extraction cannot). Keys are ASCII-lowercased; a line
 * with anything else (a bare word, an unterminated quote) is not logfmt. The pattern below
 * (walkLogfmtFields) is the definition; the format's walk reads the lines it can with
 * logfmt-scan.ts (same pairs, no regex or string per line) and gives the others to it. Pure.
 */

import { ASCII_LOWER, asciiLower } from "../core/ascii.ts";
import { LogfmtScanner } from "./logfmt-scan.ts";
import { asciiText } from "./tokenizer.ts";
import { NO_FIELDS, verbatim, type FieldVisitor, type FieldWalk, type FormatFields } from "./field-walk.ts";

const PAIR = /([A-Za-z_][A-Za-z0-9_.-]{0,63})=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))(?=\s|$)/y;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
const decoder = new TextDecoder();

/** The pairs of a logfmt line, or undefined when it is not one. */
export function parseLogfmt(line: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " " || line[i] === "\t") {
      i++;
      continue;
    }
    PAIR.lastIndex = i;
    const m = PAIR.exec(line);
    if (m === null) return undefined;
    const quoted = m[2];
    const value = quoted === undefined ? m[3]! : quoted.includes("\\") ? quoted.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : quoted;
    out.push([asciiLower(m[1]!), value]);
    i = PAIR.lastIndex;
  }
  return out.length > 0 ? out : undefined;
}

/** Cheap test: the line starts with a key character and its first word holds `=`. */
function mayBeLogfmt(data: Uint8Array, start: number, end: number): boolean {
  const b = data[start]!;
  if (!((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f)) return false;
  for (let i = start + 1; i < end; i++) {
    const c = data[i]!;
    if (c === 0x3d) return true;
    if (c === 0x20 || c === 0x09) return false;
  }
  return false;
}

export function walkLogfmtFields(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk {
  if (start >= end || !mayBeLogfmt(data, start, end)) return NO_FIELDS;
  const pairs = parseLogfmt(decoder.decode(data.subarray(start, end)));
  if (pairs === undefined) return NO_FIELDS;
  for (const [k, v] of pairs) if (visit(k, v) === true) return { stopped: true, truncated: false };
  return NO_FIELDS;
}

const scanner = new LogfmtScanner();

/** The same fields as walkLogfmtFields, read from the bytes where logfmt-scan.ts can. */
function walkScanned(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk {
  const n = scanner.scan(data, start, end);
  if (n === "none") return NO_FIELDS;
  if (n === "walker") return walkLogfmtFields(data, start, end, visit);
  const { keyStart, keyEnd, valueStart, valueEnd } = scanner;
  const pairs: [string, string][] = [];
  // Strings first: a visitor may walk another line (the scanner is shared).
  for (let p = 0; p < n; p++) pairs.push([lowerText(data, keyStart[p]!, keyEnd[p]!), asciiText(data, valueStart[p]!, valueEnd[p]!)]);
  for (const [k, v] of pairs) if (visit(k, v) === true) return { stopped: true, truncated: false };
  return NO_FIELDS;
}

/** ASCII `data[start, end)` lowercased as a string. */
function lowerText(data: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(ASCII_LOWER[data[i]!]!);
  return s;
}

export const logfmtFormat: FormatFields = {
  name: "logfmt",
  title: "logfmt field",
  walk: walkScanned,
  needles: (key, value) => [verbatim(value) ? value : key !== "" ? `${key}=` : "="],
};
