/**
 * Query lexer. Whitespace is space, tab, CR, LF only. A bare word is a maximal run
 * of anything but whitespace and `( ) = * " '`; quoted words use `"` or `'` with the escapes
 * `\\ \" \' \n \t \r`. Bare `and`/`or`/`not` in any case are keywords. Positions are UTF-16
 * indexes here; errors convert them to byte offsets (ParseError carries bytes).
 */

import { ParseError } from "../../core/errors.ts";

export type LexKind = "lparen" | "rparen" | "eq" | "star" | "word" | "and" | "or" | "not" | "eof";

export interface Lexeme {
  kind: LexKind;
  /** Word text (unescaped for quoted words); the source text for other kinds. */
  text: string;
  quoted: boolean;
  /** UTF-16 index in the source. */
  pos: number;
}

const PUNCT = new Map<string, LexKind>([["(", "lparen"], [")", "rparen"], ["=", "eq"], ["*", "star"]]);
const KEYWORDS = new Map<string, LexKind>([["and", "and"], ["or", "or"], ["not", "not"]]);
const ESCAPES = new Map([["\\", "\\"], ['"', '"'], ["'", "'"], ["n", "\n"], ["t", "\t"], ["r", "\r"]]);

/** True for the four whitespace characters the query language knows. */
export function isQuerySpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

/** True for characters that end a bare word. */
export function endsBareWord(ch: string): boolean {
  return isQuerySpace(ch) || PUNCT.has(ch) || ch === '"' || ch === "'";
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
    } else {
      const start = i;
      while (i < n && !endsBareWord(src[i]!)) i++;
      const text = src.slice(start, i);
      const kind = KEYWORDS.get(text.toLowerCase()) ?? "word";
      out.push({ kind, text, quoted: false, pos: start });
    }
  }
  out.push({ kind: "eof", text: "", quoted: false, pos: n });
  return out;
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
