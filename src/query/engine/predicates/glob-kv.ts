/**
 * key=value with a glob on either side (`host=web-*`, `err*=value`, `err*=*`, `*=err*`): some
 * attribute, or some field of the raw text (fields.ts), has a key and a value the two sides
 * match (a literal side compares exactly, ASCII-case-insensitively). With a literal key the
 * indexes narrow to records having that key; otherwise the predicate runs over candidate blocks.
 */

import { asciiLower } from "../../../core/ascii.ts";
import { describeExpr } from "../../lang/printer.ts";
import { formatNeedles, markByNeedles, someAttr, someRawField } from "./fields.ts";
import { compileGlob, type Glob } from "./glob-match.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { probeLookup, runtimeStep, type Predicate, type PredicateKind } from "./types.ts";

export interface GlobKvPredicate extends Predicate {
  /** The key glob, or undefined for a literal key (`literalKey`). */
  readonly keyGlob: Glob | undefined;
  readonly literalKey: string;
  readonly valueGlob: Glob | undefined;
  readonly literalValue: string;
  /** Records that may hold a literal side in their text; undefined = all. */
  readonly needles: readonly Needle[] | undefined;
}

function sideMatches(glob: Glob | undefined, literal: string, text: string): boolean {
  return glob !== undefined ? glob.matches(text) : asciiLower(text) === literal;
}

export const globKvKind: PredicateKind<GlobKvPredicate> = {
  name: "glob_kv",
  stepIndex: "kv",
  compile(node) {
    if (node.kind !== "glob_kv") return undefined;
    const keyGlob = node.keyGlob ? compileGlob(node.key) : undefined;
    const valueGlob = node.valueGlob ? compileGlob(node.value) : undefined;
    const literalKey = keyGlob === undefined ? asciiLower(node.key) : "";
    const literalValue = valueGlob === undefined ? asciiLower(node.value) : "";
    // A literal key (or value) is spelled `key=` (`=value`) in key=value text; formats say their own.
    const kv = literalKey !== "" ? `${literalKey}=` : literalValue !== "" ? `=${literalValue}` : "";
    const formats = kv === "" ? undefined : formatNeedles(literalKey, literalValue);
    const needles = formats === undefined ? undefined : [compileNeedle(kv), ...formats];
    return { kind: globKvKind, text: describeExpr(node), keyGlob, literalKey, valueGlob, literalValue, needles };
  },
  evaluate(p, m, out) {
    const pair = (k: string, v: string) => sideMatches(p.keyGlob, p.literalKey, k) && sideMatches(p.valueGlob, p.literalValue, v);
    m.markAttrs((attrs) => someAttr(attrs, pair), out);
    markByNeedles(m, p.needles, out, (rs, re) => someRawField(m.batch.data, m.base + rs, m.base + re, pair));
  },
  async lookup(p, idx) {
    if (p.keyGlob !== undefined) return runtimeStep(p, "no_prefix", "glob key: scan");
    const found = await probeLookup(p, idx, { kind: "key_exists", key: p.literalKey });
    return found.kind === "positions" ? { ...found, details: `${found.details} (records with key '${p.literalKey}', value glob checked by scan)`, narrowed: true } : found;
  },
};
