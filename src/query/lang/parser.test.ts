import { describe, expect, test } from "bun:test";
import { ParseError } from "../../core/errors.ts";
import type { Expr } from "./ast.ts";
import { lex } from "./lexer.ts";
import { parseExpr } from "./parser.ts";

const t = (word: string, quoted = false): Expr => ({ kind: "token", word, quoted });
const kv = (key: string, value: string): Expr => ({ kind: "kv", key, value });
const not = (child: Expr): Expr => ({ kind: "not", child });
const and = (...children: Expr[]): Expr => ({ kind: "and", children });
const or = (...children: Expr[]): Expr => ({ kind: "or", children });

/** Example queries that parse (control arguments are tested in controls.test.ts). */
const A57_ROWS: Array<[string, Expr]> = [
  ["error", t("error")],
  ["error timeout", and(t("error"), t("timeout"))],
  ["error AND timeout", and(t("error"), t("timeout"))],
  ["error OR warn", or(t("error"), t("warn"))],
  ["NOT debug", not(t("debug"))],
  ["(error OR warn) AND NOT debug", and(or(t("error"), t("warn")), not(t("debug")))],
  ["a OR b AND c", or(t("a"), and(t("b"), t("c")))],
  ["NOT a AND b", and(not(t("a")), t("b"))],
  ["NOT (a OR b)", not(or(t("a"), t("b")))],
  ["NOT (a AND b)", not(and(t("a"), t("b")))],
  ["(a OR b) (c OR d)", and(or(t("a"), t("b")), or(t("c"), t("d")))],
  ["level=error", kv("level", "error")],
  ["level=*", { kind: "key_exists", key: "level" }],
  ["*=error", { kind: "value_exists", value: "error" }],
  [
    "host=web-01 OR host=web-02 NOT env=dev",
    or(kv("host", "web-01"), and(kv("host", "web-02"), not(kv("env", "dev")))),
  ],
  ["path=/api/v1/users", kv("path", "/api/v1/users")],
  ['message="disk full"', kv("message", "disk full")],
  ['"disk full"', t("disk full", true)],
  ['"or"', t("or", true)],
  ["status>=500", { kind: "compare", key: "status", op: ">=", value: "500" }],
  ["bytes<1024", { kind: "compare", key: "bytes", op: "<", value: "1024" }],
  ["level!=debug", { kind: "compare", key: "level", op: "!=", value: "debug" }],
  ["latency_ms>250", { kind: "compare", key: "latency_ms", op: ">", value: "250" }],
  ["user.id!=0", { kind: "compare", key: "user.id", op: "!=", value: "0" }],
  ["x<=-1.5", { kind: "compare", key: "x", op: "<=", value: "-1.5" }],
  ["err*", { kind: "glob", pattern: "err*" }],
  ["*timeout", { kind: "glob", pattern: "*timeout" }],
  ["us?r", { kind: "glob", pattern: "us?r" }],
  ["[ab]c*", { kind: "glob", pattern: "[ab]c*" }],
  ['"err*"', t("err*", true)],
  ["tags[]=production", kv("tags[]", "production")],
  ["host=web-*", { kind: "glob_kv", key: "host", keyGlob: false, value: "web-*", valueGlob: true }],
  ["err*=*", { kind: "glob_kv", key: "err*", keyGlob: true, value: "*", valueGlob: true }],
  ["*=err*", { kind: "glob_kv", key: "*", keyGlob: true, value: "err*", valueGlob: true }],
  ["err*=value", { kind: "glob_kv", key: "err*", keyGlob: true, value: "value", valueGlob: false }],
  ["/connect(ion)? refused/", { kind: "regex", pattern: "connect(ion)? refused" }],
  ["/a\\/b/", { kind: "regex", pattern: "a\\/b" }],
  ["path=/api/v1", kv("path", "/api/v1")],
];

/** Grammar details beyond the examples: flattening, keywords, case, NOT shorthand. */
const EXTRA_ROWS: Array<[string, Expr]> = [
  ["a AND (b AND c)", and(t("a"), t("b"), t("c"))],
  ["(a OR b) OR (c OR d)", or(t("a"), t("b"), t("c"), t("d"))],
  ["((a))", t("a")],
  ["NOT NOT a", not(not(t("a")))],
  ["a and b Or c NoT d", or(and(t("a"), t("b")), and(t("c"), not(t("d"))))],
  ["ERROR Level=Warn", and(t("ERROR"), kv("Level", "Warn"))],
  ["a=b c", and(kv("a", "b"), t("c"))],
  ["a = b", kv("a", "b")],
  ["*=x y=*", and({ kind: "value_exists", value: "x" }, { kind: "key_exists", key: "y" })],
  ["-debug", not(t("debug"))],
  ["error -debug -level=trace", and(t("error"), not(t("debug")), not(kv("level", "trace")))],
  ["-or", not(t("or", true))],
  ["a-b - --x -", and(t("a-b"), t("-"), t("--x"), t("-"))],
  ['-"x y"', and(t("-"), t("x y", true))],
  ['"-debug"', t("-debug", true)],
  ["x=-5", kv("x", "-5")],
  ["NOT -a", not(not(t("a")))],
  ["C:\\Windows größe", and(t("C:\\Windows"), t("größe"))],
  ["'it''s'", and(t("it", true), t("s", true))],
  ['"a\\"b\\\\c\\n\\t\\r\\\'"', t('a"b\\c\n\t\r\'', true)],
  ['""', t("", true)],
  ['"k"="v w"', kv("k", "v w")],
  ['"*"=x', kv("*", "x")],
  ["\tfoo\r\n", t("foo")],
];

describe("parseExpr", () => {
  test.each([...A57_ROWS, ...EXTRA_ROWS])("%p", (input, expected) => {
    expect(parseExpr(input)).toEqual(expected);
  });
});

/** Every parse error, with neighbours: [input, byte position, message]. */
const ERROR_ROWS: Array<[string, number, string]> = [
  ["a /unterminated", 2, "unterminated regex: expected a closing / (quote a word starting with / to search it literally)"],
  ["/a/b", 3, "a regex /.../ must be followed by a space, ')' or the end (quote a word starting with / to search it literally)"],
  ["x /(a/", 2, "invalid regex /(a/: missing closing ): `(a`"],
  ["status>=", 8, "unexpected end of query: expected a value after '>='"],
  ["status>=*", 8, "a comparison cannot use '*' or a glob: '*' after '>='"],
  ["a<b*", 2, "a comparison cannot use '*' or a glob: b* after '<'"],
  ["err*>3", 0, "a comparison needs a literal key, not the glob err*"],
  ["*>3", 0, "a comparison needs a literal key, not '*'"],
  ["*=", 2, "unexpected end of query: expected a value or '*' after '='"],
  ["a>3>4", 3, "unexpected '>' after a complete predicate (quote a value that contains it)"],
  [">3", 0, "unexpected '>': expected a key before it"],
  ["", 0, "empty query"],
  ["   ", 0, "empty query"],
  ["()", 0, "empty parentheses: expected an expression inside ( )"],
  ["(error", 0, "unmatched opening parenthesis: expected ')'"],
  ["(", 0, "unmatched opening parenthesis: expected ')'"],
  ["a (b (c)", 2, "unmatched opening parenthesis: expected ')'"],
  ["error)", 5, "unexpected token: ) (no matching '(')"],
  [")", 0, "unexpected token: ) (expected an expression)"],
  ["OR error", 0, "unexpected keyword OR: expected an expression"],
  ["AND x", 0, "unexpected keyword AND: expected an expression"],
  ["or", 0, "unexpected keyword OR: expected an expression"],
  ["error OR", 8, "unexpected end of query: expected expression after OR"],
  ["a AND", 5, "unexpected end of query: expected expression after AND"],
  ["NOT", 3, "unexpected end of query: expected expression after NOT"],
  ["NOT OR x", 4, "expected expression after NOT, got OR"],
  ["NOT )", 4, "expected expression after NOT, got ')'"],
  ["(a OR)", 5, "expected expression after OR, got ')'"],
  ["a AND AND", 6, "expected expression after AND, got AND"],
  ["*", 0, "'*' must be followed by '=' (as in *=value)"],
  ["x *", 2, "'*' must be followed by '=' (as in *=value)"],
  ["*=*", 0, "'*=*' is not a valid predicate: give a key or a value"],
  ["=value", 0, "unexpected '=': expected a key or '*' before '='"],
  ["a=b=c", 3, "unexpected '=' after a complete predicate (quote a value that contains '=')"],
  ["(a=b=c)", 4, "unexpected '=' after a complete predicate (quote a value that contains '=')"],
  ["a=", 2, "unexpected end of query: expected a value or '*' after '='"],
  ["a=)", 2, "expected a value or '*' after '=', got ')'"],
  ["a=OR", 2, "expected a value or '*' after '=', got OR"],
  ["*=(", 2, "expected a value or '*' after '=', got '('"],
  ['"abc', 0, 'unterminated string: expected a closing "'],
  ["x 'abc", 2, "unterminated string: expected a closing '"],
  ['"a\\qb"', 2, "invalid escape sequence \\q: expected one of \\\\ \\\" \\' \\n \\t \\r"],
  ['"a\\', 2, "invalid escape sequence \\: expected one of \\\\ \\\" \\' \\n \\t \\r"],
  ["größe)", 7, "unexpected token: ) (no matching '(')"],
];

describe("parse errors", () => {
  test.each(ERROR_ROWS)("%p", (input, position, detail) => {
    let err: unknown;
    try {
      parseExpr(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect({ code: pe.code, position: pe.position, detail: pe.detail, message: pe.message }).toEqual({
      code: "invalid_argument",
      position,
      detail,
      message: `parse error at position ${position}: ${detail}`,
    });
  });
});

describe("lex", () => {
  test("kinds, keyword case, quoted keywords, positions", () => {
    expect(lex("(a Or 'not')=*").map((l) => [l.kind, l.text, l.quoted, l.pos])).toEqual([
      ["lparen", "(", false, 0],
      ["word", "a", false, 1],
      ["or", "Or", false, 3],
      ["word", "not", true, 6],
      ["rparen", ")", false, 11],
      ["eq", "=", false, 12],
      ["star", "*", false, 13],
      ["eof", "", false, 14],
    ]);
  });
});
