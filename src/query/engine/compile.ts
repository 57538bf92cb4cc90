/**
 * Turns a query expression into the engine's filter: DNF branches (OR of ANDs of possibly negated predicates) over compiled
 * predicates, with equal predicates shared across branches so each is evaluated once per batch.
 * A record matches iff some branch has all positives and no negatives; no expression = all.
 */

import { describeBranch, toDnf } from "../lang/dnf.ts";
import type { Expr, PredicateNode } from "../lang/ast.ts";
import { describeExpr } from "../lang/printer.ts";
import type { BatchMatcher } from "./batch-matcher.ts";
import { compilePredicate } from "./predicates/registry.ts";
import type { Predicate } from "./predicates/types.ts";

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
  const intern = (node: PredicateNode): Predicate => {
    const p = compilePredicate(node);
    const key = `${p.kind.name}\u0000${p.text}`;
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
