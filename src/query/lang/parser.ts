/**
 * Recursive-descent parser for the filter expression. Pure: text in, Expr or
 * ParseError (byte position + what was expected) out. Control arguments (start=, limit=, ...)
 * are split off before this runs (controls.ts).
 *
 *   query      = or_expr EOF ;
 *   or_expr    = and_expr { OR and_expr } ;
 *   and_expr   = unary { [ AND ] unary } ;           (* juxtaposition = implicit AND *)
 *   unary      = NOT unary | "-"word | primary ;      (* see NOT shorthand below *)
 *   primary    = "(" or_expr ")" | predicate ;
 *   predicate  = regex_pred | kv_pred | cmp_pred | glob_pred | token_pred ;
 *   kv_pred    = ( WORD | GLOB | "*" ) "=" ( WORD | GLOB | "*" ) ;  (* but not "*" "=" "*" *)
 *   cmp_pred   = WORD cmp_op WORD ;               (* no "*" and no glob on either side *)
 *   cmp_op     = "!=" | ">" | ">=" | "<" | "<=" ;
 *   regex_pred = REGEX ;                          (* "/" pattern "/", RE2 syntax *)
 *   glob_pred  = GLOB ;                           (* a bare word with * ? or [...] *)
 *   token_pred = WORD ;
 *
 * A kv_pred with a glob on either side (or `*` facing a glob) is a glob_kv node; `k=*`, `*=v`
 * and `k=v` keep their own kinds. Precedence, high to low: parentheses, NOT (prefix,
 * right-assoc), AND (explicit or implicit), OR. AND/OR chains are flattened into n-ary nodes.
 * An implicit AND continues while the next lexeme is NOT, "(", WORD, REGEX or "*".
 *
 * NOT shorthand: where an expression may start, an UNQUOTED bare word whose first character is
 * `-` and whose second is an ASCII letter, digit or `_` means NOT of the rest: `-debug` is
 * NOT debug, `-level=debug` is NOT level=debug. Everywhere else `-` is an ordinary word
 * character: `a-b`, `--x`, a lone `-`, `-"quoted"` (token `-` then token `quoted`) and values
 * (`x=-5`) stay literal. Quote a word to search for it literally: `"-debug"`. The rest is
 * never a keyword: `-or` is NOT token(or), recorded as quoted so it prints back as `NOT "or"`.
 */

import type { CompareOp, Expr } from "./ast.ts";
import { joinExprs } from "./ast.ts";
import { type Lexeme, isGlobWord, isKeyword, lex, parseErrorAt } from "./lexer.ts";
import { compileRegex } from "./regex.ts";

/** Parses filter text into an expression. Throws ParseError (code invalid_argument). */
export function parseExpr(text: string): Expr {
  return new Parser(text).parseQuery();
}

const DASH_NOT = /^-[A-Za-z0-9_]/;

/** True when an unquoted bare word is the `-word` NOT shorthand. */
export function isDashNot(word: string): boolean {
  return DASH_NOT.test(word);
}

function describe(t: Lexeme): string {
  switch (t.kind) {
    case "eof":
      return "end of query";
    case "word":
      return t.quoted ? JSON.stringify(t.text) : t.text;
    case "regex":
      return `/${t.text}/`;
    case "and":
    case "or":
    case "not":
      return t.text.toUpperCase();
    default:
      return `'${t.text}'`;
  }
}

class Parser {
  private readonly toks: Lexeme[];
  private i = 0;

  constructor(private readonly src: string) {
    this.toks = lex(src);
  }

  parseQuery(): Expr {
    if (this.peek().kind === "eof") throw parseErrorAt(this.src, 0, "empty query");
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== "eof") this.failTrailing(t);
    return e;
  }

  private peek(): Lexeme {
    return this.toks[this.i]!;
  }

  private fail(t: Lexeme, message: string): never {
    throw parseErrorAt(this.src, t.pos, message);
  }

  /** Something that cannot continue a complete expression. */
  private failTrailing(t: Lexeme): never {
    if (t.kind === "rparen") this.fail(t, "unexpected token: ) (no matching '(')");
    if (t.kind === "eq") this.fail(t, "unexpected '=' after a complete predicate (quote a value that contains '=')");
    if (t.kind === "cmp") this.fail(t, `unexpected '${t.text}' after a complete predicate (quote a value that contains it)`);
    this.fail(t, `unexpected ${describe(t)}: expected AND, OR or end of query`);
  }

  private startsUnary(t: Lexeme): boolean {
    return t.kind === "not" || t.kind === "lparen" || t.kind === "word" || t.kind === "star" || t.kind === "regex";
  }

  /** After an operator, the next lexeme must start an expression. */
  private expectOperand(after: string): void {
    const t = this.peek();
    if (this.startsUnary(t)) return;
    if (t.kind === "eof") this.fail(t, `unexpected end of query: expected expression after ${after}`);
    this.fail(t, `expected expression after ${after}, got ${describe(t)}`);
  }

  private parseOr(): Expr {
    const parts = [this.parseAnd()];
    while (this.peek().kind === "or") {
      this.i++;
      this.expectOperand("OR");
      parts.push(this.parseAnd());
    }
    return joinExprs("or", parts);
  }

  private parseAnd(): Expr {
    const parts = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (t.kind === "and") {
        this.i++;
        this.expectOperand("AND");
      } else if (!this.startsUnary(t)) {
        break;
      }
      parts.push(this.parseUnary());
    }
    return joinExprs("and", parts);
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === "not") {
      this.i++;
      this.expectOperand("NOT");
      return { kind: "not", child: this.parseUnary() };
    }
    if (t.kind === "word" && !t.quoted && isDashNot(t.text)) {
      const rest = t.text.slice(1);
      const quoted = isKeyword(rest);
      this.toks[this.i] = { kind: "word", text: rest, quoted, glob: !quoted && isGlobWord(rest), pos: t.pos + 1 };
      return { kind: "not", child: this.parsePrimary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case "lparen":
        return this.parseGroup(t);
      case "star":
        return this.parseStarPredicate(t);
      case "word":
        return this.parseWordPredicate(t);
      case "regex":
        return this.parseRegex(t);
      case "cmp":
        return this.fail(t, `unexpected '${t.text}': expected a key before it`);
      case "and":
      case "or":
        return this.fail(t, `unexpected keyword ${describe(t)}: expected an expression`);
      case "rparen":
        return this.fail(t, "unexpected token: ) (expected an expression)");
      case "eq":
        return this.fail(t, "unexpected '=': expected a key or '*' before '='");
      default:
        return this.fail(t, "unexpected end of query: expected an expression");
    }
  }

  private parseGroup(open: Lexeme): Expr {
    this.i++;
    const first = this.peek();
    if (first.kind === "rparen") this.fail(open, "empty parentheses: expected an expression inside ( )");
    if (first.kind === "eof") this.fail(open, "unmatched opening parenthesis: expected ')'");
    const e = this.parseOr();
    const close = this.peek();
    if (close.kind === "rparen") {
      this.i++;
      return e;
    }
    if (close.kind === "eof") this.fail(open, "unmatched opening parenthesis: expected ')'");
    return this.failTrailing(close);
  }

  private parseStarPredicate(star: Lexeme): Expr {
    this.i++;
    if (this.peek().kind === "cmp") this.fail(star, "a comparison needs a literal key, not '*'");
    if (this.peek().kind !== "eq") this.fail(star, "'*' must be followed by '=' (as in *=value)");
    this.i++;
    const v = this.peek();
    if (v.kind === "star") this.fail(star, "'*=*' is not a valid predicate: give a key or a value");
    if (v.kind !== "word") this.failValue(v);
    this.i++;
    if (v.glob === true) return { kind: "glob_kv", key: "*", keyGlob: true, value: v.text, valueGlob: true };
    return { kind: "value_exists", value: v.text };
  }

  private parseWordPredicate(w: Lexeme): Expr {
    this.i++;
    const op = this.peek();
    if (op.kind === "cmp") return this.parseComparison(w, op);
    if (op.kind !== "eq") return w.glob === true ? { kind: "glob", pattern: w.text } : { kind: "token", word: w.text, quoted: w.quoted };
    this.i++;
    const keyGlob = w.glob === true;
    const v = this.peek();
    if (v.kind === "star") {
      this.i++;
      return keyGlob ? { kind: "glob_kv", key: w.text, keyGlob, value: "*", valueGlob: true } : { kind: "key_exists", key: w.text };
    }
    if (v.kind !== "word") this.failValue(v);
    this.i++;
    const valueGlob = v.glob === true;
    if (keyGlob || valueGlob) return { kind: "glob_kv", key: w.text, keyGlob, value: v.text, valueGlob };
    return { kind: "kv", key: w.text, value: v.text };
  }

  /** `/pattern/`, checked here so a bad pattern is reported at its position. */
  private parseRegex(t: Lexeme): Expr {
    this.i++;
    try {
      compileRegex(t.text);
    } catch (err) {
      this.fail(t, (err as Error).message);
    }
    return { kind: "regex", pattern: t.text };
  }

  /** `key<op>value` after the key `w`; both sides literal words. */
  private parseComparison(w: Lexeme, op: Lexeme): Expr {
    if (w.glob === true) this.fail(w, `a comparison needs a literal key, not the glob ${w.text}`);
    this.i++;
    const v = this.peek();
    if (v.kind === "eof") this.fail(v, `unexpected end of query: expected a value after '${op.text}'`);
    if (v.kind === "star" || v.glob === true) this.fail(v, `a comparison cannot use '*' or a glob: ${describe(v)} after '${op.text}'`);
    if (v.kind !== "word") this.fail(v, `expected a value after '${op.text}', got ${describe(v)}`);
    this.i++;
    return { kind: "compare", key: w.text, op: op.text as CompareOp, value: v.text };
  }

  private failValue(v: Lexeme): never {
    if (v.kind === "eof") this.fail(v, "unexpected end of query: expected a value or '*' after '='");
    this.fail(v, `expected a value or '*' after '=', got ${describe(v)}`);
  }
}
