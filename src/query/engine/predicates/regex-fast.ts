/**
 * A native JS RegExp for the regexes where a backtracking engine provably runs in linear time
 * and means exactly what RE2 means, so candidates are checked natively instead of through re2js
 * (20-40x slower per record). The pattern must be a concatenation of ASCII atoms (literal
 * characters, escaped punctuation, `\d`, `\w`, `\s`, non-negated ASCII classes), each with an
 * optional greedy quantifier (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), after an optional leading
 * `(?i)` or `(?-i)`: no groups, alternation, `.`, anchors, `\b` or negated classes. Linear time:
 * the first atom is unquantified and can match no character a quantified atom can, and each
 * quantified atom matches no character of the atoms after it up to the next mandatory one, so
 * giving back a repeated character fails at once and each text position is visited by at most
 * (pattern length + 1) match attempts. Exactly RE2: the translation spells `\d`, `\w`, `\s` as
 * RE2's ASCII classes, and the text is the record's bytes as latin1, where no byte at or above
 * 0x80 matches an ASCII atom (JS folds no latin1 letter onto ASCII) and a non-ASCII UTF-8
 * character matches none in RE2 either — except U+212A KELVIN SIGN and U+017F LONG S, which RE2's
 * case folding matches to k and s: records with their lead bytes (0xE2, 0xC5) go to re2js.
 */

import { bytesMatcherOf, type BytesMatcher } from "./regex-bytes.ts";

/** The native form of a regex: a global RegExp over latin1 text (never matching ""). */
export interface FastRegex {
  readonly pattern: RegExp;
  /** Lead bytes of UTF-8 characters RE2 may fold onto the pattern's letters (records holding them use re2js). */
  readonly foldLeads: RegExp | undefined;
  /** Whether `pattern` matches inside `bytes[start, end)` read as latin1, answered on the bytes themselves (regex-bytes.ts). */
  readonly matchesBytes: BytesMatcher;
  /** True when `bytes[start, end)` holds a byte of `foldLeads` (always false when that is undefined). */
  hasFoldLead(bytes: Uint8Array, start: number, end: number): boolean;
}

/** A 128-bit ASCII set as four 32-bit words. */
export type CharSet = Uint32Array;

const DIGITS = "0-9";
const WORD = "0-9A-Za-z_";
const SPACE = "\\t\\n\\f\\r ";
const ESCAPES: Record<string, [string, string]> = { d: [DIGITS, "0123456789"], w: [WORD, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"], s: [SPACE, "\t\n\f\r "] };
const CONTROL: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };
const META = new Set(".^$|()[]{}*+?\\");
const QUANTIFIER = /^(\*|\+|\?|\{(\d{1,4})(,(\d{0,4}))?\})/;
/** Repetition bound of `*`, `+` and `{n,}`. */
const UNBOUNDED = 0x7fffffff;

export interface Atom {
  /** JS source of the atom (a class or an escaped character). */
  source: string;
  set: CharSet;
  /** Quantifier source ("" for exactly one), its minimum and maximum repetitions. */
  quantifier: string;
  min: number;
  max: number;
}

function setOf(chars: string, fold: boolean): CharSet {
  const s = new Uint32Array(4);
  for (const ch of chars) {
    const c = ch.charCodeAt(0);
    s[c >> 5]! |= 1 << (c & 31);
    if (fold && /[A-Za-z]/.test(ch)) {
      const o = c ^ 0x20;
      s[o >> 5]! |= 1 << (o & 31);
    }
  }
  return s;
}

const disjoint = (a: CharSet, b: CharSet): boolean => (a[0]! & b[0]!) === 0 && (a[1]! & b[1]!) === 0 && (a[2]! & b[2]!) === 0 && (a[3]! & b[3]!) === 0;
const escapeChar = (ch: string): string => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** A class body `[...]` at `at` (just after `[`): its characters and end, or undefined when unsupported. */
function parseClass(p: string, at: number): { chars: string; end: number } | undefined {
  let chars = "";
  let i = at;
  if (p[i] === "^" || p[i] === "]") return undefined;
  const one = (): string | undefined => {
    const ch = p[i];
    if (ch === undefined || !printable(ch.charCodeAt(0)) || ch === "[") return undefined;
    if (ch !== "\\") return (i++, ch);
    const e = p[i + 1];
    if (e === undefined) return undefined;
    i += 2;
    if (CONTROL[e] !== undefined) return CONTROL[e];
    return /[!-\/:-@\[-`{-~]/.test(e) ? e : undefined;
  };
  while (p[i] !== "]") {
    if (p[i] === "\\" && ESCAPES[p[i + 1] ?? ""] !== undefined) {
      chars += ESCAPES[p[i + 1]!]![1];
      i += 2;
      continue;
    }
    const lo = one();
    if (lo === undefined) return undefined;
    if (p[i] === "-" && p[i + 1] !== "]" && p[i + 1] !== undefined) {
      i++;
      const hi = one();
      if (hi === undefined || hi < lo) return undefined;
      for (let c = lo.charCodeAt(0); c <= hi.charCodeAt(0); c++) chars += String.fromCharCode(c);
    } else {
      chars += lo;
    }
  }
  return { chars, end: i + 1 };
}

/** The atoms of `p` (flags already removed), or undefined when it leaves the supported subset. */
function parseAtoms(p: string, fold: boolean): Atom[] | undefined {
  const atoms: Atom[] = [];
  for (let i = 0; i < p.length; ) {
    const ch = p[i]!;
    let chars: string;
    if (ch === "[") {
      const c = parseClass(p, i + 1);
      if (c === undefined) return undefined;
      chars = c.chars;
      i = c.end;
    } else if (ch === "\\") {
      const e = p[i + 1];
      if (e === undefined) return undefined;
      if (ESCAPES[e] !== undefined) chars = ESCAPES[e][1];
      else if (CONTROL[e] !== undefined) chars = CONTROL[e];
      else if (/[!-\/:-@\[-`{-~]/.test(e)) chars = e;
      else return undefined;
      i += 2;
    } else {
      if (META.has(ch) || !printable(ch.charCodeAt(0))) return undefined;
      chars = ch;
      i++;
    }
    const q = QUANTIFIER.exec(p.slice(i));
    let quantifier = "";
    let min = 1;
    let max = 1;
    if (q !== null) {
      if (q[2] !== undefined && q[4] !== undefined && q[4] !== "" && Number(q[4]) < Number(q[2])) return undefined;
      quantifier = q[0];
      min = q[1] === "*" || q[1] === "?" ? 0 : q[1] === "+" ? 1 : Number(q[2]);
      max = q[1] === "?" ? 1 : q[2] === undefined || q[4] === "" ? UNBOUNDED : q[4] === undefined ? min : Number(q[4]);
      i += q[0].length;
      if (p[i] === "?" || p[i] === "+" || p[i] === "*" || p[i] === "{") return undefined; // lazy or stacked
    }
    const unique = [...new Set(chars)].join("");
    const source = unique.length === 1 ? escapeChar(unique) : `[${[...unique].map(escapeChar).join("")}]`;
    atoms.push({ source, set: setOf(unique, fold), quantifier, min, max });
  }
  return atoms;
}

/** True when a backtracking engine runs `atoms` in linear time (see the header). */
function linear(atoms: readonly Atom[]): boolean {
  if (atoms.length === 0 || atoms[0]!.quantifier !== "") return false;
  const first = atoms[0]!.set;
  for (let j = 0; j < atoms.length; j++) {
    const a = atoms[j]!;
    if (a.quantifier === "") continue;
    if (!disjoint(a.set, first)) return false;
    for (let k = j + 1; k < atoms.length; k++) {
      if (!disjoint(a.set, atoms[k]!.set)) return false;
      if (atoms[k]!.min > 0) break;
    }
  }
  return true;
}

/** The native form of RE2 `pattern` (case-insensitive unless it starts with `(?-i)`), or undefined. */
export function fastRegex(pattern: string): FastRegex | undefined {
  let fold = true;
  let body = pattern;
  if (body.startsWith("(?-i)")) {
    fold = false;
    body = body.slice(5);
  } else if (body.startsWith("(?i)")) {
    body = body.slice(4);
  }
  const atoms = parseAtoms(body, fold);
  if (atoms === undefined || !linear(atoms)) return undefined;
  const source = atoms.map((a) => a.source + a.quantifier).join("");
  const folds = fold && atoms.some((a) => !disjoint(a.set, setOf("ks", true)));
  return {
    pattern: new RegExp(source, fold ? "gi" : "g"),
    foldLeads: folds ? /[\xc5\xe2]/g : undefined,
    matchesBytes: bytesMatcherOf(atoms),
    hasFoldLead: folds ? hasFoldLeadByte : () => false,
  };
}

/** True when bytes[start, end) holds 0xC5 or 0xE2 (lead bytes of U+017F and U+212A). */
function hasFoldLeadByte(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 0xc5 || bytes[i] === 0xe2) return true;
  return false;
}
