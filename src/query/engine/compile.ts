/**
 * Turns a query expression into the engine's filter: DNF branches (spec A5.5) over compiled
 * predicates, with equal predicates shared across branches so each is evaluated once per batch.
 * A record matches iff some branch has all positives and no negatives; no expression = all.
 */

import { describeBranch, toDnf } from "../lang/dnf.ts";
import type { Expr } from "../lang/ast.ts";
import { describeExpr } from "../lang/printer.ts";
import type { BatchMatcher } from "./batch-matcher.ts";
import { compilePredicate, type Predicate } from "./predicate.ts";

export interface CompiledBranch {
  readonly text: string;
  readonly positive: readonly Predicate[];
  readonly negative: readonly Predicate[];
}

export interface CompiledFilter {
  /** undefined = no expression: every record matches. */
  readonly branches: readonly CompiledBranch[] | undefined;
  readonly expression: string;
}

export function compileFilter(expr: Expr | undefined): CompiledFilter {
  if (expr === undefined) return { branches: undefined, expression: "" };
  const shared = new Map<string, Predicate>();
  const intern = (node: Parameters<typeof compilePredicate>[0]): Predicate => {
    const p = compilePredicate(node);
    const key = `${p.kind}\u0000${p.text}`;
    const existing = shared.get(key);
    if (existing) return existing;
    shared.set(key, p);
    return p;
  };
  const branches = toDnf(expr).map((b) => ({
    text: describeBranch(b),
    positive: b.positive.map(intern),
    negative: b.negative.map(intern),
  }));
  return { branches, expression: describeExpr(expr) };
}

/**
 * False when no record of the matcher's batch can match: every branch needs a positive
 * predicate that no record has (a rare needle in a batch without it), so the per-record loop
 * can be skipped.
 */
export function batchMayMatch(filter: CompiledFilter, m: BatchMatcher): boolean {
  const branches = filter.branches;
  return branches === undefined || branches.some((b) => b.positive.every((p) => m.any(p)));
}

/** True when record i of the matcher's batch satisfies the filter. */
export function matchesFilter(filter: CompiledFilter, m: BatchMatcher, i: number): boolean {
  const branches = filter.branches;
  if (branches === undefined) return true;
  outer: for (const b of branches) {
    for (const p of b.positive) if (!m.test(p, i)) continue outer;
    for (const p of b.negative) if (m.test(p, i)) continue outer;
    return true;
  }
  return false;
}
