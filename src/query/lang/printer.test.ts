import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ParseError } from "../../core/errors.ts";
import { type Expr, joinExprs } from "./ast.ts";
import { parseExpr } from "./parser.ts";
import { describeExpr, needsQuotes, printExpr } from "./printer.ts";

const special = fc.constantFrom(
  ..."error a OR not And -x -1 a-b - --x * ( ) = \" ' \\ größe C:\\W status> 日本".split(" "),
  "x y",
  "",
  "\n",
  'a"b\\c',
);
const word = fc.oneof(special, fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 4 }));

/** Glob words as users write them (anything the lexer reads as one glob word). */
const globPiece = fc.constantFrom("err", "*", "?", "[ab]", "[!x]", "-", "x_1", "é", ".", "tags[]", "5");
const glob = fc
  .array(globPiece, { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""))
  .filter((p) => {
    const e = parseExprOrUndefined(p);
    return e !== undefined && e.kind === "glob" && e.pattern === p;
  });
const compareOp = fc.constantFrom("!=" as const, ">" as const, ">=" as const, "<" as const, "<=" as const);
const regexPiece = fc.constantFrom("a", "b c", "(x)?", "\\/", "[0-9]+", "|", ".", "(?-i)", "\\d", "=", "*");
const regex = fc
  .array(regexPiece, { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""))
  .filter((p) => parseExprOrUndefined(`/${p}/`)?.kind === "regex");

function parseExprOrUndefined(text: string): Expr | undefined {
  try {
    return parseExpr(text);
  } catch {
    return undefined;
  }
}

/** Arbitrary expressions in parser normal form (flat AND/OR, quoted set where required). */
const exprArb = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ w: word, q: fc.boolean() }).map(({ w, q }): Expr => ({
      kind: "token",
      word: w,
      quoted: q || needsQuotes(w),
    })),
    fc.record({ k: word, v: word }).map(({ k, v }): Expr => ({ kind: "kv", key: k, value: v })),
    word.map((k): Expr => ({ kind: "key_exists", key: k })),
    word.map((v): Expr => ({ kind: "value_exists", value: v })),
    glob.map((pattern): Expr => ({ kind: "glob", pattern })),
    fc.record({ k: fc.oneof(word, glob), v: fc.oneof(word, glob) }).map(({ k, v }): Expr => ({ kind: "glob_kv", key: k, keyGlob: true, value: v, valueGlob: true })).filter((e) => e.kind === "glob_kv" && isGlobLike(e.key) && isGlobLike(e.value)),
    fc.record({ k: word, g: glob, left: fc.boolean() }).map(({ k, g, left }): Expr => (left ? { kind: "glob_kv", key: g, keyGlob: true, value: k, valueGlob: false } : { kind: "glob_kv", key: k, keyGlob: false, value: g, valueGlob: true })),
    fc.record({ k: word, op: compareOp, v: word }).map(({ k, op, v }): Expr => ({ kind: "compare", key: k, op, value: v })),
    regex.map((pattern): Expr => ({ kind: "regex", pattern })),
    tie("expr").map((child): Expr => ({ kind: "not", child })),
    fc
      .record({ op: fc.constantFrom("and" as const, "or" as const), parts: fc.array(tie("expr"), { minLength: 2, maxLength: 4 }) })
      .map(({ op, parts }) => joinExprs(op, parts)),
  ),
})).expr;

/** A side that reads back as a glob: a glob word or the lone `*` (but not `*` on both sides). */
function isGlobLike(side: string): boolean {
  return side === "*" || parseExprOrUndefined(side)?.kind === "glob";
}

describe("printExpr", () => {
  test("property: parse(print(ast)) deep-equals ast", () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        expect(parseExpr(printExpr(e))).toEqual(e);
      }),
      { numRuns: 400 },
    );
  });

  test("property: arbitrary text either throws ParseError or round-trips through print", () => {
    const unit = fc.constantFrom(..."ab -()=*\"'\\nOR", "NOT ", " and ", "é");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        let e: Expr;
        try {
          e = parseExpr(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
          return;
        }
        expect(parseExpr(printExpr(e))).toEqual(e);
      }),
      { numRuns: 400 },
    );
  });

  test.each<[string, string]>([
    ["a OR b AND c", "a OR b AND c"],
    ["(a OR b) c", "(a OR b) AND c"],
    ["NOT (a b)", "NOT (a AND b)"],
    ["NOT NOT a", "NOT NOT a"],
    ['"or" "x y" \'q\'', '"or" AND "x y" AND "q"'],
    ['k="a b" "-k"=* *="NOT"', 'k="a b" AND "-k"=* AND *="NOT"'],
    ["x=-5 -y", 'x="-5" AND NOT y'],
    ['"a\\"b\\\\c\\n"', '"a\\"b\\\\c\\n"'],
    ["C:\\dir", "C:\\dir"],
  ])("%p prints as %p", (input, printed) => {
    expect(printExpr(parseExpr(input))).toBe(printed);
  });
});

describe("describeExpr", () => {
  test.each<[string, string]>([
    ["error", "token(error)"],
    ["level=error", "level=error"],
    ["level=*", "level=*"],
    ["*=error", "*=error"],
    ["NOT x", "NOT token(x)"],
    ["a b", "(token(a) AND token(b))"],
    ["a OR b", "(token(a) OR token(b))"],
    ["error service=api", "(token(error) AND service=api)"],
    ["a OR b c NOT (d OR e)", "(token(a) OR (token(b) AND token(c) AND NOT (token(d) OR token(e))))"],
    ['"disk full" ERROR', "(token(disk full) AND token(ERROR))"],
  ])("%p -> %p", (input, expected) => {
    expect(describeExpr(parseExpr(input))).toBe(expected);
  });
});
