/**
 * Route expressions (attribute predicates only: `k=v`, `k=*`, `*=v` with AND/OR/NOT), the part of the config language that picks stores for a
 * message: "" nothing, `*` all, `+` catch-rest, else a query expression over ATTRIBUTES only.
 * parseRoute checks and compiles one to DNF with terms pre-lowercased (ASCII) so the router in
 * ingest/route/ matches without allocating. Token (bare word) predicates are rejected.
 */

import { asciiLower } from "../core/ascii.ts";
import { LogError } from "../core/errors.ts";
import type { PredicateNode } from "../query/lang/ast.ts";
import { toDnf } from "../query/lang/dnf.ts";
import { parseExpr } from "../query/lang/parser.ts";
import { describeExpr } from "../query/lang/printer.ts";

/** One attribute test: key=value, key=* ("key") or *=value ("value"); strings ASCII-lowercased. */
export type RouteTerm = { kind: "kv"; key: string; value: string } | { kind: "key"; key: string } | { kind: "value"; value: string };

/** A conjunction: every positive term holds and no negative term does. */
export interface RouteBranch {
  positive: RouteTerm[];
  negative: RouteTerm[];
}

export type RouteSpec = { kind: "none" } | { kind: "all" } | { kind: "rest" } | { kind: "expr"; branches: RouteBranch[] };

/** Most DNF branches a route may expand to (routes run per message; keep them small). */
export const MAX_ROUTE_BRANCHES = 64;

/** Parses and compiles a route; throws ParseError / LogError("invalid_argument") with the reason. */
export function parseRoute(text: string): RouteSpec {
  const t = text.trim();
  if (t === "") return { kind: "none" };
  if (t === "*") return { kind: "all" };
  if (t === "+") return { kind: "rest" };
  const branches = toDnf(parseExpr(t), MAX_ROUTE_BRANCHES).map((b) => ({ positive: b.positive.map(term), negative: b.negative.map(term) }));
  return { kind: "expr", branches };
}

function term(p: PredicateNode): RouteTerm {
  switch (p.kind) {
    case "kv":
      return { kind: "kv", key: asciiLower(p.key), value: asciiLower(p.value) };
    case "key_exists":
      return { kind: "key", key: asciiLower(p.key) };
    case "value_exists":
      return { kind: "value", value: asciiLower(p.value) };
    case "token":
      throw new LogError(
        "invalid_argument",
        `token predicates are not allowed in routes (found '${p.word}'): routes see attributes only; use key=value, key=* or *=value`,
      );
    default:
      throw new LogError("invalid_argument", `routes take key=value, key=* and *=value only (found '${describeExpr(p)}')`);
  }
}

