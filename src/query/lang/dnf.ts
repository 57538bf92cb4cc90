/**
 * Disjunctive normal form: an Expr becomes a list of branches, each a conjunction
 * of positive and negated predicates. NOT is pushed down by De Morgan, double negation
 * cancels, OR concatenates, AND takes the cross product. No simplification or de-duplication
 * (`a OR a` gives two branches). The branch count is capped to bound planning cost.
 */

import { LogError } from "../../core/errors.ts";
import type { Expr, PredicateNode } from "./ast.ts";
import { describeExpr } from "./printer.ts";

/** One conjunction: every positive must match and no negative may match. */
export interface Branch {
  positive: PredicateNode[];
  negative: PredicateNode[];
}

/** Most branches a query may expand to before it is rejected with code `limit`. */
export const MAX_DNF_BRANCHES = 256;

/**
 * Converts `expr` to DNF. A record matches the query iff it matches any branch. Throws
 * LogError("limit") when the expansion would exceed `maxBranches`.
 */
export function toDnf(expr: Expr, maxBranches = MAX_DNF_BRANCHES): Branch[] {
  return convert(expr, false, maxBranches);
}

function tooMany(atLeast: number, max: number): LogError {
  return new LogError(
    "limit",
    `query expands to at least ${atLeast} DNF branches, more than the limit of ${max}: ` +
      "combine fewer OR groups with AND (each AND of ORs multiplies the branch count)",
  );
}

function convert(e: Expr, negated: boolean, max: number): Branch[] {
  switch (e.kind) {
    case "not":
      return convert(e.child, !negated, max);
    case "and":
    case "or": {
      const conjunction = (e.kind === "and") !== negated;
      return conjunction ? crossAll(e.children, negated, max) : concatAll(e.children, negated, max);
    }
    default:
      return [negated ? { positive: [], negative: [e] } : { positive: [e], negative: [] }];
  }
}

function concatAll(children: Expr[], negated: boolean, max: number): Branch[] {
  const out: Branch[] = [];
  for (const c of children) {
    const part = convert(c, negated, max);
    if (out.length + part.length > max) throw tooMany(out.length + part.length, max);
    out.push(...part);
  }
  return out;
}

function crossAll(children: Expr[], negated: boolean, max: number): Branch[] {
  let acc: Branch[] = [{ positive: [], negative: [] }];
  for (const c of children) {
    const part = convert(c, negated, max);
    if (acc.length * part.length > max) throw tooMany(acc.length * part.length, max);
    const next: Branch[] = [];
    for (const a of acc) {
      for (const b of part) {
        next.push({
          positive: [...a.positive, ...b.positive],
          negative: [...a.negative, ...b.negative],
        });
      }
    }
    acc = next;
  }
  return acc;
}

/**
 * One branch as text for explain (`Branch i: …`): positives joined by ` AND `, then
 * `NOT <pred>` for each negative, in canonical predicate form.
 */
export function describeBranch(b: Branch): string {
  const parts = b.positive.map(describeExpr);
  for (const n of b.negative) parts.push(`NOT ${describeExpr(n)}`);
  return parts.join(" AND ");
}
