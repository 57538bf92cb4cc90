/**
 * Required literals of a regex, for planning (after Google Code Search's trigram index, here
 * with whole tokens): the top-level concatenation of a pattern is walked conservatively —
 * groups, classes, `.`, escapes like `\d`, and a character a quantifier makes optional all end a
 * literal run (a flag group like `(?-i)` does not), and so do `k` and `s`, which RE2 also
 * matches to the Kelvin sign and the long s; any top-level `|` means "no literals". Every match
 * of the pattern contains each run returned (ASCII-case-insensitively). Runs with non-ASCII
 * characters are dropped.
 */

/**
 * A literal run, with whether the pattern pins the text's start before it (`^`) or its end
 * after it (`$`). `\b` pins neither for tokens: `-` is a token character but no word character.
 */
export interface LiteralRun {
  text: string;
  boundedBefore: boolean;
  boundedAfter: boolean;
}

const QUANTIFIER = /^(\*|\+|\?|\{\d+(,\d*)?\})/;
const FLAG_GROUP = /^\(\?[A-Za-z-]*\)/;
/** Letters RE2's case folding also matches to a non-ASCII character (U+212A KELVIN SIGN, U+017F LONG S). */
const FOLDS_BEYOND_ASCII = new Set(["k", "K", "s", "S"]);

/** The literal runs every match of `pattern` contains (empty when none can be proven). */
export function requiredLiterals(pattern: string): LiteralRun[] {
  const runs: LiteralRun[] = [];
  let cur = "";
  let boundedBefore = false;
  const flush = (boundedAfter: boolean) => {
    if (cur !== "" && /^[\x20-\x7e]+$/.test(cur)) runs.push({ text: cur, boundedBefore, boundedAfter });
    cur = "";
    boundedBefore = false;
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    const q = QUANTIFIER.exec(pattern.slice(i));
    if (q !== null) {
      // The quantified character is optional or repeated: it ends the run ("+" keeps one copy).
      if (q[1] !== "+") cur = cur.slice(0, -1);
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
    if (FOLDS_BEYOND_ASCII.has(ch)) {
      // RE2 matches k to the Kelvin sign and s to the long s, which no ASCII literal (or token) holds.
      flush(false);
      i++;
      continue;
    }
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

/**
 * Token terms every match implies: a token-character run of a literal that a non-token
 * character (or a pinned boundary) precedes starts a token of the record. `exact` when a
 * boundary follows it too (the whole token is known), else a prefix.
 */
export function requiredTokenTerms(runs: LiteralRun[]): Array<{ term: string; exact: boolean }> {
  const out: Array<{ term: string; exact: boolean }> = [];
  for (const r of runs) {
    const re = /[A-Za-z0-9_-]+/g;
    for (let m = re.exec(r.text); m !== null; m = re.exec(r.text)) {
      const start = m.index;
      const end = start + m[0].length;
      const before = start > 0 || r.boundedBefore;
      if (!before) continue;
      const after = end < r.text.length || r.boundedAfter;
      out.push({ term: m[0].toLowerCase(), exact: after });
    }
  }
  return out;
}
