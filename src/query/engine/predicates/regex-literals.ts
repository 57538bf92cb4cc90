/**
 * Required literals of a regex, for planning (after Google Code Search's trigram index, here
 * with whole tokens): the top-level concatenation of a pattern is walked conservatively —
 * groups, classes, `.`, escapes like `\d`, and a character a quantifier makes optional all end a
 * literal run (a flag group like `(?-i)` does not); any top-level `|` means "no literals". Every
 * match of the pattern contains each run returned (ASCII-case-insensitively), except that where
 * the pattern is case-insensitive RE2 also matches `k` to the Kelvin sign (U+212A) and `s` to
 * the long s (U+017F): runs mark those letters (`foldAt`), the byte search uses only the pieces
 * between them, and the token terms list the tokens each such spelling leaves. Runs with
 * non-ASCII characters are dropped.
 */

import { TOKEN_MAX_LEN } from "../../../index/tokenizer.ts";

/**
 * A literal run, with whether the pattern pins the text's start before it (`^`) or its end
 * after it (`$`). `\b` pins neither for tokens: `-` is a token character but no word character.
 */
export interface LiteralRun {
  text: string;
  boundedBefore: boolean;
  boundedAfter: boolean;
  /** Offsets in `text` of the k and s letters a match may spell as U+212A or U+017F (case-insensitive parts). */
  foldAt: number[];
}

const QUANTIFIER = /^(\*|\+|\?|\{\d+(,\d*)?\})/;
const FLAG_GROUP = /^\(\?[A-Za-z-]*\)/;
/** Letters RE2's case folding also matches to a non-ASCII character (U+212A KELVIN SIGN, U+017F LONG S). */
const FOLDS_BEYOND_ASCII = new Set(["k", "K", "s", "S"]);

/** The literal runs every match of `pattern` contains (empty when none can be proven). */
export function requiredLiterals(pattern: string): LiteralRun[] {
  const runs: LiteralRun[] = [];
  let cur = "";
  let foldAt: number[] = [];
  let boundedBefore = false;
  let caseless = true; // compileRegex's default; flag groups change it
  const flush = (boundedAfter: boolean) => {
    if (cur !== "" && /^[\x20-\x7e]+$/.test(cur)) runs.push({ text: cur, boundedBefore, boundedAfter, foldAt });
    cur = "";
    foldAt = [];
    boundedBefore = false;
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    const q = QUANTIFIER.exec(pattern.slice(i));
    if (q !== null) {
      // The quantified character is optional or repeated: it ends the run ("+" keeps one copy).
      if (q[1] !== "+") {
        cur = cur.slice(0, -1);
        if (foldAt.at(-1) === cur.length) foldAt.pop();
      }
      flush(false);
      i += q[0].length;
      if (pattern[i] === "?") i++; // lazy form
      continue;
    }
    if (ch === "|") return [];
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/^[A-Za-z0-9]$/.test(next) || next === "") {
        // Not even `\b` bounds a token: `-` is a token character but no word character.
        flush(false);
        if (next === "Q") return runs; // \Q...\E quoting: stop proving
        i = escapeEnd(pattern, i);
        continue;
      }
      cur += next;
      i += 2;
      continue;
    }
    const flags = ch === "(" ? FLAG_GROUP.exec(pattern.slice(i)) : null;
    if (flags !== null) {
      // `(?i)`, `(?-i)`: no text of its own. A quantifier after it applies to what came before
      // it (even to a repetition, `a+(?i)*`): then nothing is proven.
      i += flags[0].length;
      if (QUANTIFIER.test(pattern.slice(i))) return [];
      const [on = "", off = ""] = flags[0].slice(2, -1).split("-");
      if (off.includes("i")) caseless = false;
      else if (on.includes("i")) caseless = true;
      continue;
    }
    if (ch === "(" || ch === "[") {
      flush(false);
      const end = ch === "(" ? skipGroup(pattern, i) : skipClass(pattern, i);
      if (end < 0) return [];
      i = end;
      const after = QUANTIFIER.exec(pattern.slice(i));
      if (after !== null) i += after[0].length + (pattern[i + after[0].length] === "?" ? 1 : 0);
      continue;
    }
    if (ch === "^" || ch === "$" || ch === ".") {
      flush(ch === "$");
      if (ch === "^" && i === 0) boundedBefore = true;
      i++;
      continue;
    }
    if (ch === "{") {
      // A "{" that is not a repetition is literal in RE2.
      cur += ch;
      i++;
      continue;
    }
    // RE2 matches k to the Kelvin sign and s to the long s, which no ASCII literal (or token) holds.
    if (caseless && FOLDS_BEYOND_ASCII.has(ch)) foldAt.push(cur.length);
    cur += ch;
    i++;
  }
  flush(false);
  return runs;
}

/**
 * Index after the letter or digit escape at `i`: `\p{Greek}`/`\pL`, `\x{263a}`/`\x41` and
 * octal `\123` span more than two characters (they end the literal run like any class).
 */
function escapeEnd(p: string, i: number): number {
  const kind = p[i + 1];
  if (kind === "p" || kind === "P" || kind === "x") {
    if (p[i + 2] === "{") {
      const close = p.indexOf("}", i + 3);
      return close < 0 ? p.length : close + 1;
    }
    return i + (kind === "x" ? 4 : 3);
  }
  if (kind !== undefined && kind >= "0" && kind <= "7") {
    let j = i + 2;
    while (j < i + 4 && p[j] !== undefined && p[j]! >= "0" && p[j]! <= "7") j++;
    return j;
  }
  return i + 2;
}

/** Index after the group opening at `i` (escapes and classes inside skipped), or -1. */
function skipGroup(p: string, i: number): number {
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j]!;
    if (c === "\\") j++;
    else if (c === "[") {
      j = skipClass(p, j) - 1;
      if (j < 0) return -1;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return j + 1;
  }
  return -1;
}

/** Index after the class opening at `i` (`[]a]` and `[^]a]` keep the first `]`), or -1. */
function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === "^") j++;
  if (p[j] === "]") j++;
  for (; j < p.length; j++) {
    const c = p[j]!;
    if (c === "\\") j++;
    else if (c === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2);
      if (close < 0) return -1;
      j = close + 1;
    } else if (c === "]") return j + 1;
  }
  return -1;
}

/** The runs cut at their fold letters: what every match holds byte for byte (ASCII-case-insensitively). */
export function foldFreePieces(runs: LiteralRun[]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    let from = 0;
    for (const f of [...r.foldAt, r.text.length]) {
      if (f > from) out.push(r.text.slice(from, f));
      from = f + 1;
    }
  }
  return out;
}

/** A token a record holds: this whole token (`exact`) or one starting with `term`. */
export interface TokenTerm {
  term: string;
  exact: boolean;
}

/**
 * Token terms every match implies, each a choice of terms the record holds one of: a
 * token-character run of a literal that a non-token character (or a pinned boundary) precedes
 * starts a token of the record — `exact` when a boundary follows it too (the whole token is
 * known), else a prefix. A fold letter spelled U+212A/U+017F (no token character) ends the
 * token there instead (`block` is `block*` or exactly `bloc`), or at the run's first letter
 * starts it after (`status` is `status*`, `tatus*` or exactly `tatu`). Only a token's first
 * TOKEN_MAX_LEN + 1 characters are looked at: the index tells longer tokens apart by their
 * first TOKEN_MAX_LEN (and a pattern of many k and s would otherwise list a quadratic number).
 */
export function requiredTokenTerms(runs: LiteralRun[]): TokenTerm[][] {
  const out: TokenTerm[][] = [];
  for (const r of runs) {
    const lower = r.text.toLowerCase();
    const re = /[A-Za-z0-9_-]+/g;
    for (let m = re.exec(r.text); m !== null; m = re.exec(r.text)) {
      const start = m.index;
      const end = start + m[0].length;
      const before = start > 0 || r.boundedBefore;
      if (!before) continue;
      const choice = tokenChoice(lower, r.foldAt, start, end, end < r.text.length || r.boundedAfter);
      if (choice !== undefined) out.push(choice);
    }
  }
  return out;
}

/** The tokens `text[start, end)` at a token's start leaves, one per spelling; undefined when a spelling leaves none. */
function tokenChoice(text: string, foldAt: readonly number[], start: number, end: number, after: boolean): TokenTerm[] | undefined {
  if (end - start > TOKEN_MAX_LEN + 1) {
    end = start + TOKEN_MAX_LEN + 1;
    after = false;
  }
  const out: TokenTerm[] = [{ term: text.slice(start, end), exact: after }];
  for (const f of foldAt) {
    if (f < start || f >= end) continue;
    if (f > start) {
      out.push({ term: text.slice(start, f), exact: true });
      continue;
    }
    const rest = f + 1 < end ? tokenChoice(text, foldAt, f + 1, end, after) : undefined;
    if (rest === undefined) return undefined;
    out.push(...rest);
  }
  return out;
}
