/**
 * Bare glob words (`err*`, `*timeout`, `us?r`, `[ab]c*`): a record matches when the glob
 * matches one of its words as a whole — a maximal run of token characters
 * ([A-Za-z0-9_-], untruncated) or a whitespace-delimited word (so `com*controller` matches
 * `com.example.controller`). Records are picked by the glob's longest literal first. A prefix
 * glob whose prefix every indexed token keeps (index/tokenizer.ts isIndexablePrefix) is answered
 * by a range scan of the token dictionary (exactly, up to 16 bytes of prefix); other globs run
 * over the candidate blocks.
 */

import { isIndexablePrefix, TOKEN_MAX_LEN } from "../../../index/tokenizer.ts";
import { describeExpr } from "../../lang/printer.ts";
import type { BatchMatcher } from "../batch-matcher.ts";
import { compileGlob, type Glob } from "./glob-match.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { probeLookup, runtimeStep, type Predicate, type PredicateKind } from "./types.ts";

export interface GlobPredicate extends Predicate {
  readonly glob: Glob;
  /** The glob's longest literal, searched first; undefined when it has none. */
  readonly needle: Needle | undefined;
}

/** Char code -> 1 for token characters [A-Za-z0-9_-]. */
const TOKEN_CHAR = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") TOKEN_CHAR[c.charCodeAt(0)] = 1;

/** True when `glob` matches a token-character run or a whitespace-delimited word of `text`. */
export function globMatchesWords(glob: Glob, text: string): boolean {
  const n = text.length;
  let word = -1;
  let run = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x20;
    const space = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    if (!space && word < 0) word = i;
    const inRun = !space && c < 128 && TOKEN_CHAR[c] === 1;
    if (inRun && run < 0) run = i;
    if (!inRun && run >= 0) {
      if ((run !== word || !space) && glob.matches(text, run, i)) return true;
      run = -1;
    }
    if (space && word >= 0) {
      if (glob.matches(text, word, i)) return true;
      word = -1;
    }
  }
  return false;
}

/** Marks the records of `m` whose text at [rs, re) `check` accepts, searching `needle` first when there is one. */
export function markCandidates(m: BatchMatcher, needle: Needle | undefined, out: Uint8Array, check: (rs: number, re: number) => boolean): void {
  if (needle === undefined) m.markRecords(out, check);
  else m.markNeedle(needle, out, (_h, rs, re) => check(rs, re));
}

/** The record at text offsets [rs, re) of `m`'s batch as a string. */
export function recordText(m: BatchMatcher, rs: number, re: number): string {
  const { data } = m.batch;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8", m.base + rs, m.base + re);
}

export const globKind: PredicateKind<GlobPredicate> = {
  name: "glob",
  stepIndex: "token",
  compile(node) {
    if (node.kind !== "glob") return undefined;
    const glob = compileGlob(node.pattern);
    return { kind: globKind, text: describeExpr(node), glob, needle: glob.longestLiteral === "" ? undefined : compileNeedle(glob.longestLiteral) };
  },
  evaluate(p, m, out) {
    markCandidates(m, p.needle, out, (rs, re) => globMatchesWords(p.glob, recordText(m, rs, re)));
  },
  async lookup(p, idx) {
    if (!p.glob.isPrefix || !isIndexablePrefix(p.glob.prefix)) {
      return runtimeStep(p, "no_prefix", p.glob.isPrefix ? `prefix '${p.glob.prefix}' may be in unindexed words: scan` : "not a prefix glob: scan");
    }
    // Up to TOKEN_MAX_LEN bytes the prefix lookup is exact: a word starting with the prefix
    // starts a token run with it, and every such run is indexed (isIndexablePrefix).
    const found = await probeLookup(p, idx, { kind: "token_prefix", prefix: p.glob.prefix.slice(0, TOKEN_MAX_LEN) });
    return found.kind === "positions" ? { ...found, narrowed: found.narrowed === true || p.glob.prefix.length > TOKEN_MAX_LEN } : found;
  },
};
