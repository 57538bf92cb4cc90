/** parseRoute: route kinds, DNF with lowercased terms, and rejected routes. */

import { expect, test } from "bun:test";
import { parseRoute, type RouteSpec } from "./route.ts";

test("route kinds and compiled expressions", () => {
  const cases: [string, RouteSpec][] = [
    ["", { kind: "none" }],
    ["   ", { kind: "none" }],
    [" * ", { kind: "all" }],
    ["+", { kind: "rest" }],
    ["ENV=Prod", { kind: "expr", branches: [{ positive: [{ kind: "kv", key: "env", value: "prod" }], negative: [] }] }],
    [
      "(env=prod OR env=stg) AND NOT level=debug host=*",
      {
        kind: "expr",
        branches: [
          { positive: [{ kind: "kv", key: "env", value: "prod" }, { kind: "key", key: "host" }], negative: [{ kind: "kv", key: "level", value: "debug" }] },
          { positive: [{ kind: "kv", key: "env", value: "stg" }, { kind: "key", key: "host" }], negative: [{ kind: "kv", key: "level", value: "debug" }] },
        ],
      },
    ],
    ["*=ERROR", { kind: "expr", branches: [{ positive: [{ kind: "value", value: "error" }], negative: [] }] }],
  ];
  expect(cases.map(([text]) => parseRoute(text))).toEqual(cases.map(([, want]) => want));
});

test("rejected routes say why", () => {
  const fails = (text: string) => {
    try {
      parseRoute(text);
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };
  expect(["error", "env=prod OR timeout", "a=b=c", "(a=1 OR a=2) (b=1 OR b=2) (c=1 OR c=2) (d=1 OR d=2) (e=1 OR e=2) (f=1 OR f=2) (g=1 OR g=2)"].map(fails)).toEqual([
    "token predicates are not allowed in routes (found 'error'): routes see attributes only; use key=value, key=* or *=value",
    "token predicates are not allowed in routes (found 'timeout'): routes see attributes only; use key=value, key=* or *=value",
    "parse error at position 3: unexpected '=' after a complete predicate (quote a value that contains '=')",
    "query expands to at least 128 DNF branches, more than the limit of 64: combine fewer OR groups with AND (each AND of ORs multiplies the branch count)",
  ]);
});
