/**
 * The query expression tree. Pure data: words keep their case and their quoting
 * so the printer can reproduce them; matching semantics (token vs substring, case folding)
 * belong to the engine. AND/OR nodes are n-ary, flattened and have at least two children.
 */

/** A bare or quoted word: `error`, `"disk full"`. */
export interface TokenPred {
  kind: "token";
  word: string;
  /** The word was written in quotes (so it was never a keyword). */
  quoted: boolean;
}

/** `key=value`. */
export interface KvPred {
  kind: "kv";
  key: string;
  value: string;
}

/** `key=*`. */
export interface KeyExistsPred {
  kind: "key_exists";
  key: string;
}

/** `*=value`. */
export interface ValueExistsPred {
  kind: "value_exists";
  value: string;
}

/** A bare glob word (`err*`, `*timeout`, `us?r`, `[ab]c*`): matches a whole word of the text. */
export interface GlobPred {
  kind: "glob";
  pattern: string;
}

/**
 * `key=value` where a side is a glob (`host=web-*`, `err*=value`, `err*=*`, `*=err*`). A side
 * written as `*` is the glob `*`; a side with `glob` false is a literal (compared exactly).
 */
export interface GlobKvPred {
  kind: "glob_kv";
  key: string;
  keyGlob: boolean;
  value: string;
  valueGlob: boolean;
}

/** The comparison operators besides `=`. */
export type CompareOp = "!=" | ">" | ">=" | "<" | "<=";

/** `key<op>value` (`status>=500`, `level!=debug`): numeric when both sides are numbers. */
export interface ComparePred {
  kind: "compare";
  key: string;
  op: CompareOp;
  value: string;
}

/** `/pattern/`: RE2 syntax over the whole raw line; `pattern` is the text between the slashes. */
export interface RegexPred {
  kind: "regex";
  pattern: string;
}

/** A leaf of the tree: what DNF branches hold and what the engine evaluates. */
export type PredicateNode = TokenPred | KvPred | KeyExistsPred | ValueExistsPred | GlobPred | GlobKvPred | ComparePred | RegexPred;

export interface AndExpr {
  kind: "and";
  children: Expr[];
}

export interface OrExpr {
  kind: "or";
  children: Expr[];
}

export interface NotExpr {
  kind: "not";
  child: Expr;
}

export type Expr = AndExpr | OrExpr | NotExpr | PredicateNode;

/**
 * Builds an AND (or OR) node, splicing in children of the same kind so chains stay flat
 * (`a AND (b AND c)` is AND(a,b,c)); a single child is returned as is.
 */
export function joinExprs(kind: "and" | "or", parts: Expr[]): Expr {
  const children: Expr[] = [];
  for (const p of parts) {
    if (p.kind === kind) children.push(...p.children);
    else children.push(p);
  }
  if (children.length === 1) return children[0]!;
  return { kind, children };
}

/** True for the leaf kinds. */
export function isPredicate(e: Expr): e is PredicateNode {
  return e.kind !== "and" && e.kind !== "or" && e.kind !== "not";
}
