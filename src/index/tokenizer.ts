/**
 * The one tokenizer (runs of [A-Za-z0-9_-], 2-16 bytes, lowercased, numbers left out), used to build the token index from `raw` and by the query engine
 * to evaluate and classify token predicates. Byte-level, table-driven, allocation-free in its
 * scanner; the string helpers below it allocate and are for tests and the query side only.
 * It must not change behaviour without a format version bump: indexes store its output.
 */

import { ASCII_LOWER, asciiLower } from "../core/ascii.ts";

/** Longest token kept; longer runs are cut to this prefix and the rest of the run discarded. */
export const TOKEN_MAX_LEN = 16;
/** Shortest token kept. */
export const TOKEN_MIN_LEN = 2;

/** Byte -> lowercased token byte, or 0 for a delimiter (everything but [A-Za-z0-9_-]). */
const LOWER = new Uint8Array(256);
/** Digit classes of a lowercased token byte, as bit flags. */
const HEX = 1;
const OCT = 2;
const BIN = 4;
const HYPHEN = 8;
const DIGIT_CLASS = new Uint8Array(256);

for (let c = 0x30; c <= 0x39; c++) {
  LOWER[c] = c;
  DIGIT_CLASS[c] = HEX | (c <= 0x37 ? OCT : 0) | (c <= 0x31 ? BIN : 0);
}
for (let c = 0x61; c <= 0x7a; c++) {
  LOWER[c] = c;
  LOWER[c - 0x20] = c;
  if (c <= 0x66) DIGIT_CLASS[c] = HEX;
}
LOWER[0x5f] = 0x5f; // _
LOWER[0x2d] = 0x2d; // -
DIGIT_CLASS[0x2d] = HYPHEN;

const CH_0 = 0x30;
const CH_X = 0x78;
const CH_O = 0x6f;
const CH_B = 0x62;

/**
 * The numeric rule on a lowercased candidate: `0x`/`0o`/`0b` + one or more valid digits is numeric
 * (a bare or invalid prefix keeps the candidate and skips the generic rule); otherwise a
 * candidate of only hex digits and `-` with at least one hex digit is numeric. Rule 6 (a
 * canonical UUID) is a special case of the hex+hyphen rule, so it needs no code of its own.
 */
function isNumeric(t: Uint8Array, len: number): boolean {
  if (t[0] === CH_0) {
    const p = t[1];
    const cls = p === CH_X ? HEX : p === CH_O ? OCT : p === CH_B ? BIN : 0;
    if (cls !== 0) {
      if (len === 2) return false;
      for (let i = 2; i < len; i++) if ((DIGIT_CLASS[t[i]!]! & cls) === 0) return false;
      return true;
    }
  }
  let hex = false;
  for (let i = 0; i < len; i++) {
    const c = DIGIT_CLASS[t[i]!]!;
    if ((c & (HEX | HYPHEN)) === 0) return false;
    if (c & HEX) hex = true;
  }
  return hex;
}

/**
 * Reusable scanner over `buf[start, end)`. After `next()` returns true the current token is
 * `token[0, length)`, already lowercased. The `token` scratch is overwritten by the next call,
 * so copy it if you keep it. No allocation per record or per token.
 */
export class TokenScanner {
  /** Scratch holding the current token (lowercase ASCII). */
  readonly token = new Uint8Array(TOKEN_MAX_LEN);
  /** Byte length of the current token. */
  length = 0;
  /** Offset in the input where the current token's run starts. */
  tokenStart = 0;
  private buf: Uint8Array = this.token;
  private pos = 0;
  private end = 0;

  /** Points the scanner at a new input range. */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.length = 0;
  }

  /** Advances to the next token; false when the range is exhausted. */
  next(): boolean {
    const buf = this.buf;
    const end = this.end;
    const tok = this.token;
    let pos = this.pos;
    while (pos < end) {
      let c = LOWER[buf[pos]!]!;
      if (c === 0) {
        pos++;
        continue;
      }
      const runStart = pos;
      let n = 0;
      for (;;) {
        if (n < TOKEN_MAX_LEN) tok[n++] = c;
        if (++pos >= end) break;
        c = LOWER[buf[pos]!]!;
        if (c === 0) break;
      }
      if (n >= TOKEN_MIN_LEN && !isNumeric(tok, n)) {
        this.pos = pos;
        this.length = n;
        this.tokenStart = runStart;
        return true;
      }
    }
    this.pos = pos;
    this.length = 0;
    return false;
  }

  /** The current token as a string (allocates; for map keys and tests). */
  text(): string {
    return asciiText(this.token, 0, this.length);
  }
}

/** Decodes ASCII bytes `b[start, end)` to a string. */
export function asciiText(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

const encoder = new TextEncoder();
const shared = new TokenScanner();

/** All tokens of `text` in order, duplicates kept. Allocates; not for hot loops. */
export function tokenize(text: string | Uint8Array): string[] {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const out: string[] = [];
  shared.reset(bytes, 0, bytes.length);
  while (shared.next()) out.push(shared.text());
  return out;
}


/**
 * True iff `tokens(word)` is exactly `[lowercase(word)]`: such a word can be
 * answered from the token index and by token equality. Any other word (numbers, hex words,
 * dotted names, phrases, single characters, non-ASCII, over-long words) must be matched as a
 * case-insensitive substring of raw and never looked up in the token index.
 */
export function isIndexableWord(word: string): boolean {
  if (word.length < TOKEN_MIN_LEN || word.length > TOKEN_MAX_LEN) return false;
  const toks = tokenize(word);
  return toks.length === 1 && toks[0] === asciiLower(word);
}

/** Why a token lookup found nothing, for explain. */
export type TokenMissReason = "non_ascii" | "too_short" | "numeric" | "not_indexed";

/**
 * The explain miss classifier: a byte > 127 -> non_ascii; shorter than 2 bytes -> too_short;
 * numeric (only `0-9a-f-` with a hex digit, or `0x`/`0o`/`0b` + digits) ->
 * numeric; otherwise not_indexed. Refines a plain "only `0-9a-f-`" rule so that `--` (a real
 * token) is not called numeric and `0x1f` is.
 */
export function classifyTokenMiss(word: string): TokenMissReason {
  const bytes = encoder.encode(word);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! > 0x7f) return "non_ascii";
    bytes[i] = ASCII_LOWER[bytes[i]!]!;
  }
  if (bytes.length < TOKEN_MIN_LEN) return "too_short";
  return isNumeric(bytes, bytes.length) ? "numeric" : "not_indexed";
}

const HEX_OR_HYPHEN = /^[0-9a-f-]*$/;

/**
 * True when every token starting with `prefix` (ASCII, lowercased, token characters only, at
 * least TOKEN_MIN_LEN long) is indexed under a term starting with its first TOKEN_MAX_LEN
 * bytes: no completion can be dropped as numeric (all hex/hyphen, or 0x/0o/0b digits). Only
 * then may a prefix lookup of the token index stand for "some word starts with prefix".
 */
export function isIndexablePrefix(prefix: string): boolean {
  const p = prefix.slice(0, TOKEN_MAX_LEN);
  if (p.length < TOKEN_MIN_LEN || tokenize(p).length !== 1 || tokenize(p)[0] !== p) return false;
  const radix = /^0[xob]/.test(p);
  return !HEX_OR_HYPHEN.test(radix ? p.slice(2) : p);
}
