/**
 * Required literals of a regex, for planning (after Google Code Search's trigram index, here
 * with whole tokens): the top-level concatenation of a pattern is walked conservatively —
 * groups, classes, `.`, escapes like `\d`, and a character a quantifier makes optional all end a
 * literal run; any top-level `|` means "no literals". Every match of the pattern contains each
 * run returned (ASCII-case-insensitively). Runs with non-ASCII characters are dropped.
 */

/** A literal run, with whether the pattern pins a word boundary before/after it (`^`, `\b`, `$`). */
export interface LiteralRun {
  text: string;
  boundedBefore: boolean;
  boundedAfter: boolean;
}

const QUANTIFIER = /^(\*|\+|\?|\{\d+(,\d*)?\})/;

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
        flush(next === "b");
        if (next === "b") boundedBefore = true;
        i += 2;
        if (next === "Q") return runs; // \Q...\E quoting: stop proving
        continue;
      }
      cur += next;
      i += 2;
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
    cur += ch;
    i++;
  }
  flush(false);
  return runs;
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
