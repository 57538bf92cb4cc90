/**
 * The predicate kinds, in the order they are offered each AST leaf (the first that compiles
 * it wins: an indexable word is a token, any other word a substring). Adding a kind is its
 * file plus one line here.
 */

import { LogError } from "../../../core/errors.ts";
import type { PredicateNode } from "../../lang/ast.ts";
import { describeExpr } from "../../lang/printer.ts";
import { keyExistsKind } from "./key-exists.ts";
import { kvKind } from "./kv.ts";
import { substringKind } from "./substring.ts";
import { tokenKind } from "./token.ts";
import type { Predicate, PredicateKind } from "./types.ts";
import { valueExistsKind } from "./value-exists.ts";
import { compareKind } from "./compare.ts";
import { globKind } from "./glob.ts";
import { globKvKind } from "./glob-kv.ts";
import { regexKind } from "./regex.ts";

export const PREDICATE_KINDS: readonly PredicateKind[] = [tokenKind, substringKind, kvKind, keyExistsKind, valueExistsKind, compareKind, globKind, globKvKind, regexKind];

/** Compiles one leaf of the query AST with the first kind that handles it. */
export function compilePredicate(node: PredicateNode): Predicate {
  for (const kind of PREDICATE_KINDS) {
    const p = kind.compile(node);
    if (p !== undefined) return p;
  }
  throw new LogError("invalid_argument", `no predicate kind evaluates '${describeExpr(node)}'`);
}
