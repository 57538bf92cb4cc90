/**
 * Glob patterns as the query language writes them: `*` any run, `?` one character, `[abc]`,
 * `[a-z]`, `[!x]`/`[^x]` classes, everything else literal; ASCII-case-insensitive and always
 * against a whole string. Matching is iterative (the last `*` is the only backtrack point), so
 * a pattern costs O(pattern × text) at worst, never exponential time.
 */

import { asciiLower } from "../../../core/ascii.ts";

type Part = { kind: "char"; ch: string; code: number } | { kind: "any" } | { kind: "star" } | { kind: "class"; negated: boolean; ranges: string[] };

export interface Glob {
  readonly source: string;
  /** True when `text[start, end)` (default: all of it) matches as a whole (ASCII case folded). */
  matches(text: string, start?: number, end?: number): boolean;
  /** The literal text before the first metacharacter (lowercased). */
  readonly prefix: string;
  /** True when the pattern is `prefix*` (a prefix glob). */
  readonly isPrefix: boolean;
  /** The longest literal run of the pattern (lowercased): every match contains it. */
  readonly longestLiteral: string;
}

/** Compiles a glob pattern. */
export function compileGlob(source: string): Glob {
  const parts = parse(asciiLower(source));
  let prefix = "";
  for (const p of parts) {
    if (p.kind !== "char") break;
    prefix += p.ch;
  }
  const rest = parts.slice(prefix.length);
  const isPrefix = rest.length > 0 && rest.every((p) => p.kind === "star");
  let longestLiteral = "";
  let run = "";
  for (const p of parts) {
    if (p.kind === "char") run += p.ch;
    else run = "";
    if (run.length > longestLiteral.length) longestLiteral = run;
  }
  return { source, prefix, isPrefix, longestLiteral, matches: (text, start = 0, end = text.length) => matchParts(parts, text, start, end) };
}

function parse(src: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "*") {
      if (parts[parts.length - 1]?.kind !== "star") parts.push({ kind: "star" });
    } else if (ch === "?") {
      parts.push({ kind: "any" });
    } else if (ch === "[" && src.indexOf("]", i + 2) > 0) {
      const close = src.indexOf("]", i + 2);
      let body = src.slice(i + 1, close);
      const negated = body[0] === "!" || body[0] === "^";
      if (negated && body.length > 1) body = body.slice(1);
      const ranges: string[] = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === "-" && j + 2 < body.length) {
          ranges.push(body[j]! + body[j + 2]!);
          j += 2;
        } else {
          ranges.push(body[j]! + body[j]!);
        }
      }
      parts.push({ kind: "class", negated: negated && body !== src.slice(i + 1, close), ranges });
      i = close;
    } else {
      parts.push({ kind: "char", ch, code: ch.charCodeAt(0) });
    }
  }
  return parts;
}

/** `code` with ASCII A-Z lowered. */
function lowerCode(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

function partMatches(p: Part, code: number): boolean {
  switch (p.kind) {
    case "char":
      return p.code === code;
    case "any":
      return true;
    case "class": {
      let inside = false;
      for (const r of p.ranges) if (code >= r.charCodeAt(0) && code <= r.charCodeAt(1)) inside = true;
      return inside !== p.negated;
    }
    case "star":
      return false;
  }
}

/** Whole-range match; on a mismatch, the last `*` absorbs one more character and retries. */
function matchParts(parts: Part[], text: string, start: number, end: number): boolean {
  let p = 0;
  let t = start;
  let starP = -1;
  let starT = 0;
  while (t < end) {
    const part = parts[p];
    if (part !== undefined && part.kind === "star") {
      starP = p++;
      starT = t;
    } else if (part !== undefined && partMatches(part, lowerCode(text.charCodeAt(t)))) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < parts.length && parts[p]!.kind === "star") p++;
  return p === parts.length;
}
