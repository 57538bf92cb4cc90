/**
 * Two renderings of an Expr: `printExpr` gives query text that parses back to the same tree
 * (quotes words that need it, parenthesises by precedence), and `describeExpr` gives the
 * canonical explain/REPL form (`token(error)`, `level=error`, `(A AND B)`).
 */

import type { Expr, PredicateNode } from "./ast.ts";
import { endsBareWord, isGlobWord, isKeyword, operatorAt } from "./lexer.ts";
import { isDashNot } from "./parser.ts";

/**
 * True if `word` cannot be written bare: empty, contains whitespace, `( ) = " '` or a
 * comparison operator, would read as a glob, a regex (`/` first) or the `-word` NOT
 * shorthand, or is a keyword in any case.
 */
export function needsQuotes(word: string): boolean {
  // A trailing "!" would read as "!=" before "=" (`k!=*`).
  if (word === "" || isKeyword(word) || isDashNot(word) || isGlobWord(word) || word.startsWith("/") || word.endsWith("!")) return true;
  for (let i = 0; i < word.length; i++) if (endsBareWord(word[i]!) || operatorAt(word, i) !== undefined) return true;
  return false;
}

const ESCAPE_OUT: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r" };

/** `word` in double quotes with `\\ \" \n \t \r` escaped. */
export function quoteWord(word: string): string {
  return `"${word.replace(/[\\"\n\t\r]/g, (c) => ESCAPE_OUT[c]!)}"`;
}

/** `word` bare when possible, else quoted. */
export function printWord(word: string): string {
  return needsQuotes(word) ? quoteWord(word) : word;
}

function printPredicate(p: PredicateNode): string {
  switch (p.kind) {
    case "token":
      return p.quoted ? quoteWord(p.word) : printWord(p.word);
    case "kv":
      return `${printWord(p.key)}=${printWord(p.value)}`;
    case "key_exists":
      return `${printWord(p.key)}=*`;
    case "value_exists":
      return `*=${printWord(p.value)}`;
    case "glob":
      return p.pattern;
    case "glob_kv":
      return `${p.keyGlob ? p.key : printWord(p.key)}=${p.valueGlob ? p.value : printWord(p.value)}`;
    case "compare":
      return `${printWord(p.key)}${p.op}${printWord(p.value)}`;
    case "regex":
      return `/${p.pattern}/`;
  }
}

const PREC_OR = 1;
const PREC_AND = 2;
const PREC_NOT = 3;

function print(e: Expr, parentPrec: number): string {
  switch (e.kind) {
    case "or": {
      const s = e.children.map((c) => print(c, PREC_OR + 1)).join(" OR ");
      return parentPrec > PREC_OR ? `(${s})` : s;
    }
    case "and": {
      const s = e.children.map((c) => print(c, PREC_AND + 1)).join(" AND ");
      return parentPrec > PREC_AND ? `(${s})` : s;
    }
    case "not":
      return `NOT ${print(e.child, PREC_NOT)}`;
    default:
      return printPredicate(e);
  }
}

/**
 * Query text for `e` such that `parseExpr(printExpr(e))` deep-equals `e`, given that `e` is
 * in parser normal form: AND/OR flattened with ≥2 children, and `quoted` set on every token
 * word that needs quotes (`needsQuotes`).
 */
export function printExpr(e: Expr): string {
  return print(e, 0);
}

/**
 * Canonical explain string: `token(w)`, `k=v`, `k=*`, `*=v`, `glob(err*)`, `k>=v`,
 * `regex(/p/)`, `NOT X`, `(A AND B)`, `(A OR B)`. Words appear verbatim (unquoted): it is for people, not for re-parsing.
 */
export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case "or":
      return `(${e.children.map(describeExpr).join(" OR ")})`;
    case "and":
      return `(${e.children.map(describeExpr).join(" AND ")})`;
    case "not":
      return `NOT ${describeExpr(e.child)}`;
    case "token":
      return `token(${e.word})`;
    case "kv":
      return `${e.key}=${e.value}`;
    case "key_exists":
      return `${e.key}=*`;
    case "value_exists":
      return `*=${e.value}`;
    case "glob":
      return `glob(${e.pattern})`;
    case "glob_kv":
      return `${e.key}=${e.value}`;
    case "compare":
      return `${e.key}${e.op}${e.value}`;
    case "regex":
      return `regex(/${e.pattern}/)`;
  }
}
