/**
 * Query lexer. Whitespace is space, tab, CR, LF only. A bare word is a maximal run
 * of anything but whitespace, `( ) = " '` and the comparison operators `!= < <= > >=`; a bare
 * word that is exactly `*` is the star lexeme, one holding `*`, `?` or a `[...]` class is a glob.
 * Quoted words use `"` or `'` with the escapes `\\ \" \' \n \t \r` (never globs).
 * A word starting with `/`, except right after `=` or a comparison (a value), is a regex
 * `/.../` up to the next unescaped `/` (`\/` is a slash); it must end the word. Bare `and`/`or`/`not` in any case are keywords. Positions are UTF-16
 * indexes here; errors convert them to byte offsets (ParseError carries bytes).
 */

import { ParseError } from "../../core/errors.ts";

export type LexKind = "lparen" | "rparen" | "eq" | "cmp" | "star" | "word" | "regex" | "and" | "or" | "not" | "eof";

export interface Lexeme {
  kind: LexKind;
  /** Word text (unescaped for quoted words); the pattern between the slashes for a regex; the source text for other kinds. */
  text: string;
  quoted: boolean;
  /** A bare word holding glob metacharacters (`*`, `?`, `[...]`). */
  glob?: boolean;
  /** UTF-16 index in the source. */
  pos: number;
}

const PUNCT = new Map<string, LexKind>([["(", "lparen"], [")", "rparen"], ["=", "eq"]]);
const KEYWORDS = new Map<string, LexKind>([["and", "and"], ["or", "or"], ["not", "not"]]);
const ESCAPES = new Map([["\\", "\\"], ['"', '"'], ["'", "'"], ["n", "\n"], ["t", "\t"], ["r", "\r"]]);

/** True for the four whitespace characters the query language knows. */
export function isQuerySpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

/** True for characters that end a bare word (besides the operators: see `operatorAt`). */
export function endsBareWord(ch: string): boolean {
  return isQuerySpace(ch) || PUNCT.has(ch) || ch === '"' || ch === "'";
}

/** The comparison operator starting at `src[i]` (`!=`, `<=`, `>=`, `<`, `>`), or undefined. */
export function operatorAt(src: string, i: number): string | undefined {
  const ch = src[i];
  if (ch === "<" || ch === ">") return src[i + 1] === "=" ? `${ch}=` : ch;
  if (ch === "!" && src[i + 1] === "=") return "!=";
  return undefined;
}

/**
 * True when a bare word is a glob: it holds `*` or `?`, or a `[` with at least one character
 * before a later `]` (`tags[]` is not a glob, `[ab]c` is).
 */
export function isGlobWord(word: string): boolean {
  if (word.includes("*") || word.includes("?")) return true;
  const open = word.indexOf("[");
  return open >= 0 && word.indexOf("]", open + 2) > 0;
}

/** True if `word` (case-insensitively) is AND, OR or NOT. */
export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase());
}

const encoder = new TextEncoder();

/** UTF-8 byte offset of UTF-16 index `index` in `src`. */
export function byteOffset(src: string, index: number): number {
  return encoder.encode(src.slice(0, index)).length;
}

/** A ParseError at UTF-16 index `index` of `src`. */
export function parseErrorAt(src: string, index: number, message: string): ParseError {
  return new ParseError(byteOffset(src, index), message);
}

/** Splits `src` into lexemes, ending with one `eof`. Throws ParseError on bad strings. */
export function lex(src: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i]!;
    if (isQuerySpace(ch)) {
      i++;
    } else if (PUNCT.has(ch)) {
      out.push({ kind: PUNCT.get(ch)!, text: ch, quoted: false, pos: i });
      i++;
    } else if (ch === '"' || ch === "'") {
      i = lexQuoted(src, i, out);
    } else if (operatorAt(src, i) !== undefined) {
      const op = operatorAt(src, i)!;
      out.push({ kind: "cmp", text: op, quoted: false, pos: i });
      i += op.length;
    } else if (ch === "/" && !afterOperator(out)) {
      i = lexRegex(src, i, out);
    } else {
      const start = i;
      while (i < n && !endsBareWord(src[i]!) && operatorAt(src, i) === undefined) i++;
      const text = src.slice(start, i);
      if (text === "*") out.push({ kind: "star", text, quoted: false, pos: start });
      else if (isGlobWord(text)) out.push({ kind: "word", text, quoted: false, glob: true, pos: start });
      else out.push({ kind: KEYWORDS.get(text.toLowerCase()) ?? "word", text, quoted: false, pos: start });
    }
  }
  out.push({ kind: "eof", text: "", quoted: false, pos: n });
  return out;
}

/** True when the last lexeme is `=` or a comparison: a value follows (`path=/api/v1` is a word there). */
function afterOperator(out: Lexeme[]): boolean {
  const last = out[out.length - 1];
  return last !== undefined && (last.kind === "eq" || last.kind === "cmp");
}

/** Lexes the regex opening at `start` (`/pattern/`); returns the index after its closing slash. */
function lexRegex(src: string, start: number, out: Lexeme[]): number {
  let i = start + 1;
  while (i < src.length && src[i] !== "/") i += src[i] === "\\" ? 2 : 1;
  if (i >= src.length) throw parseErrorAt(src, start, "unterminated regex: expected a closing / (quote a word starting with / to search it literally)");
  const pattern = src.slice(start + 1, i);
  if (pattern === "") throw parseErrorAt(src, start, "empty regex //");
  const next = src[i + 1];
  if (next !== undefined && !isQuerySpace(next) && next !== ")") {
    throw parseErrorAt(src, i + 1, "a regex /.../ must be followed by a space, ')' or the end (quote a word starting with / to search it literally)");
  }
  out.push({ kind: "regex", text: pattern, quoted: false, pos: start });
  return i + 1;
}

/** Lexes the quoted word opening at `start`; returns the index after its closing quote. */
function lexQuoted(src: string, start: number, out: Lexeme[]): number {
  const quote = src[start]!;
  let text = "";
  let i = start + 1;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === quote) {
      out.push({ kind: "word", text, quoted: true, pos: start });
      return i + 1;
    }
    if (ch === "\\") {
      const next = src[i + 1];
      const rep = next === undefined ? undefined : ESCAPES.get(next);
      if (rep === undefined) {
        const seq = next === undefined ? "\\" : `\\${next}`;
        throw parseErrorAt(src, i, `invalid escape sequence ${seq}: expected one of \\\\ \\" \\' \\n \\t \\r`);
      }
      text += rep;
      i += 2;
    } else {
      text += ch;
      i++;
    }
  }
  throw parseErrorAt(src, start, `unterminated string: expected a closing ${quote}`);
}
