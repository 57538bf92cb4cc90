/**
 * Token predicates: a bare or quoted word that is exactly one indexable token (`error`,
 * `"Timeout"`) matches records holding that token — a case-insensitive hit with no token
 * character just before or after it — and is answered exactly by the token index (token probes).
 */

import { asciiLower } from "../../../core/ascii.ts";
import { isIndexableWord, TOKEN_MAX_LEN } from "../../../index/tokenizer.ts";
import { describeExpr } from "../../lang/printer.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { probeLookup, type Predicate, type PredicateKind } from "./types.ts";

/** Latin1 char code -> 1 for token chars [A-Za-z0-9_-]. */
export const TOKEN_CHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHAR[c] = TOKEN_CHAR[c - 0x20] = 1;
TOKEN_CHAR[0x5f] = 1;
TOKEN_CHAR[0x2d] = 1;

/**
 * True when a token hit of `len` bytes ending at `after` (record end `re`, next byte `next`)
 * ends a token: tokens longer than the index keeps match as prefixes.
 */
export function endsToken(after: number, len: number, re: number, next: number): boolean {
  return len >= TOKEN_MAX_LEN || after >= re || TOKEN_CHAR[next] !== 1;
}

export interface TokenPredicate extends Predicate {
  /** The lowercased token. */
  readonly token: string;
  readonly needle: Needle;
}

export const tokenKind: PredicateKind<TokenPredicate> = {
  name: "token",
  stepIndex: "token",
  compile(node) {
    // Quoting only defeats keywords: a quoted single token is still a token.
    if (node.kind !== "token" || !isIndexableWord(node.word)) return undefined;
    const token = asciiLower(node.word);
    return { kind: tokenKind, text: describeExpr(node), token, needle: compileNeedle(token) };
  },
  evaluate(p, m, out) {
    const len = p.needle.text.length;
    m.markNeedle(p.needle, out, (h, rs, re) => {
      if (h > rs && TOKEN_CHAR[m.byteAt(h - 1)] === 1) return false;
      return endsToken(h + len, len, re, m.byteAt(h + len));
    });
  },
  lookup: (p, idx) => probeLookup(p, idx, { kind: "token", token: p.token }),
};
