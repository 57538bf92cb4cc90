/**
 * Regex predicates `/pattern/`: RE2 syntax run by re2js (linear time: no pattern can stall a
 * server) over each record's whole raw text as UTF-8, case-insensitive unless `(?-i)`.
 * Candidates are found by the pattern's longest required literal (regex-literals.ts) before
 * the regex runs; on a sealed chunk the token terms those literals imply (`/connect(ion)?
 * refused/` implies a token starting with `refused`, or the token `refu` where the s is
 * spelled U+017F) narrow the records through the token index: each term's spellings united,
 * the terms intersected.
 * Patterns a native RegExp runs in linear time with RE2's meaning (regex-fast.ts) are searched
 * natively over the batch's text instead — or, when the index named candidate records, matched
 * on each candidate's bytes — re2js deciding only the records they cannot.
 */

import type { RE2JS } from "re2js";
import { isIndexablePrefix, isIndexableWord, TOKEN_MAX_LEN } from "../../../index/tokenizer.ts";
import { intersectPositions, unionMany } from "../../../index/postings.ts";
import { describeExpr } from "../../lang/printer.ts";
import { compileRegex } from "../../lang/regex.ts";
import { markCandidates } from "./glob.ts";
import { compileNeedle, type Needle } from "./needle.ts";
import { fastRegex, type FastRegex } from "./regex-fast.ts";
import { foldFreePieces, requiredLiterals, requiredTokenTerms } from "./regex-literals.ts";
import { probeLookup, runtimeStep, type Lookup, type Predicate, type PredicateKind } from "./types.ts";
import type { IndexProbe } from "../../../index/types.ts";

export interface RegexPredicate extends Predicate {
  /** The re2js form, compiled on first use (~0.2 ms: a native-form pattern may never need it; the parser has validated it). */
  re2(): RE2JS;
  /** The native form when the pattern has one (regex-fast.ts). */
  readonly fast: FastRegex | undefined;
  /** The longest literal every match holds byte for byte, searched first; undefined when the pattern has none. */
  readonly needle: Needle | undefined;
  /** Token probes every match implies, each a choice (the record satisfies one of them), for planning. */
  readonly probes: readonly (readonly IndexProbe[])[];
  /** The required literals as explain quotes them (`"connect", " refused"`; "" when none). */
  readonly literals: string;
}

/** The token probes a required term allows: an indexable whole token, else a safe prefix. */
function termProbe(term: string, exact: boolean): IndexProbe | undefined {
  if (exact && isIndexableWord(term)) return { kind: "token", token: term };
  const prefix = term.slice(0, TOKEN_MAX_LEN);
  return isIndexablePrefix(prefix) ? { kind: "token_prefix", prefix } : undefined;
}

function probeText(p: IndexProbe): string {
  return p.kind === "token" ? p.token : p.kind === "token_prefix" ? `${p.prefix}*` : p.kind;
}

function choiceText(c: readonly IndexProbe[]): string {
  return c.length === 1 ? probeText(c[0]!) : `(${c.map(probeText).join(" OR ")})`;
}

/** The probes of a choice of token terms, each once; undefined when one of them has none (then it cannot narrow). */
function choiceProbes(terms: readonly { term: string; exact: boolean }[]): IndexProbe[] | undefined {
  const out = new Map<string, IndexProbe>();
  for (const t of terms) {
    const probe = termProbe(t.term, t.exact);
    if (probe === undefined) return undefined;
    out.set(probeText(probe), probe);
  }
  return [...out.values()];
}

export const regexKind: PredicateKind<RegexPredicate> = {
  name: "regex",
  stepIndex: "token",
  compile(node) {
    if (node.kind !== "regex") return undefined;
    const runs = requiredLiterals(node.pattern);
    const longest = foldFreePieces(runs).reduce((a, piece) => (piece.length > a.length ? piece : a), "");
    const probes: IndexProbe[][] = [];
    const seen = new Set<string>();
    for (const terms of requiredTokenTerms(runs)) {
      const choice = choiceProbes(terms);
      if (choice !== undefined && !seen.has(choiceText(choice))) {
        seen.add(choiceText(choice));
        probes.push(choice);
      }
    }
    let regex: RE2JS | undefined;
    const re2 = (): RE2JS => (regex ??= compileRegex(node.pattern));
    const fast = fastRegex(node.pattern);
    if (fast === undefined) re2(); // an invalid pattern throws here, at compile
    const literals = runs.map((r) => JSON.stringify(r.text)).join(", ");
    return { kind: regexKind, text: describeExpr(node), re2, fast, needle: longest === "" ? undefined : compileNeedle(longest), probes, literals };
  },
  evaluate(p, m, out) {
    const { data } = m.batch;
    const slow = (rs: number, re: number): boolean => p.re2().test(data.subarray(m.base + rs, m.base + re));
    const fast = p.fast;
    if (fast === undefined) return markCandidates(m, p.needle, out, slow);
    if (m.rows !== undefined || m.batch.count === 1) {
      // Only the candidates (or a lone record: the filter's sparse path), each matched on its
      // own bytes (no string per record). A native match is an RE2 match (ASCII only); without
      // one, a record with a character RE2 folds onto a letter goes to re2js.
      const { rows, base } = m;
      const offs = m.batch.rawOffsets;
      const count = rows?.length ?? 1;
      for (let k = 0; k < count; k++) {
        const i = rows === undefined ? 0 : rows[k]!;
        const rs = offs[i]!;
        const re = offs[i + 1]!;
        if (fast.matchesBytes(data, rs, re)) out[i] = 1;
        else if (fast.hasFoldLead(data, rs, re)) out[i] = slow(rs - base, re - base) ? 1 : 0;
      }
      return;
    }
    // A hit running past its record's end, or a record with a character RE2 folds onto a letter
    // (not marked already), goes to re2js.
    m.markMatches(fast.pattern, out, (hitEnd, rs, re) => hitEnd <= re || slow(rs, re));
    if (fast.foldLeads !== undefined) m.markMatches(fast.foldLeads, out, (_e, rs, re) => slow(rs, re));
  },
  async lookup(p, idx): Promise<Lookup> {
    if (p.probes.length === 0) {
      const why = p.literals === "" ? "no required literal in the pattern" : `literals ${p.literals}: none starts an indexable token`;
      return runtimeStep(p, "no_index", `${why}: scan`);
    }
    let positions: Uint32Array | undefined;
    const notes: string[] = [];
    for (const choice of p.probes) {
      const lists: Uint32Array[] = [];
      for (const probe of choice) {
        const found = await probeLookup(p, idx, probe);
        if (found.kind === "runtime") return found;
        lists.push(found.positions);
        notes.push(found.details);
      }
      const any = lists.length === 1 ? lists[0]! : unionMany(lists);
      positions = positions === undefined ? any : intersectPositions(positions, any);
    }
    return { kind: "positions", positions: positions!, details: `literals ${p.literals}; narrowed by tokens ${p.probes.map(choiceText).join(" AND ")} (${notes.join("; ")}), regex checked by scan`, narrowed: true };
  },
};
