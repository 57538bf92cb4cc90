/**
 * Substring predicates: any word or phrase that is not exactly one indexable token (numbers,
 * hex-looking words, IPs, dotted names, non-ASCII, words over 16 bytes, phrases with spaces)
 * matches as a case-insensitive substring of the raw text. Never answered by an index.
 */

import { asciiLower } from "../../../core/ascii.ts";
import { classifyTokenMiss } from "../../../index/tokenizer.ts";
import { describeExpr } from "../../lang/printer.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { runtimeStep, type Predicate, type PredicateKind } from "./types.ts";

export interface SubstringPredicate extends Predicate {
  /** The word as typed (explain says why it is not a token). */
  readonly word: string;
  readonly needle: Needle;
}

export const substringKind: PredicateKind<SubstringPredicate> = {
  name: "substring",
  stepIndex: "token",
  compile(node) {
    if (node.kind !== "token") return undefined;
    return { kind: substringKind, text: describeExpr(node), word: node.word, needle: compileNeedle(asciiLower(node.word)) };
  },
  evaluate(p, m, out) {
    m.markNeedle(p.needle, out);
  },
  lookup(p) {
    return runtimeStep(p, classifyTokenMiss(p.word), `'${p.word}' not indexed: substring scan`);
  },
};
