/**
 * Public surface of the query language: parse, print, describe, DNF and control arguments.
 * Pure (imports core only); the engine and the API import from here.
 */

export type { AndExpr, Expr, KeyExistsPred, KvPred, NotExpr, OrExpr, Predicate, TokenPred, ValueExistsPred } from "./ast.ts";
export { isPredicate, joinExprs } from "./ast.ts";
export { type ArgSpan, type QueryArgs, parseQueryArgs, splitArgs } from "./controls.ts";
export { type Branch, MAX_DNF_BRANCHES, describeBranch, toDnf } from "./dnf.ts";
export { parseExpr } from "./parser.ts";
export { describeExpr, needsQuotes, printExpr, printWord, quoteWord } from "./printer.ts";
export { parseDuration, parseRfc3339, parseTimeArg } from "./time-arg.ts";
