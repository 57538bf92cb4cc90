/**
 * Router: an example table (attribute routes, `*`, `+`, none), catch-rest and unrouted counting, counters carried
 * across recompiles, and a property test against a naive evaluator of generated route trees.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Attrs } from "../../core/record.ts";
import { Router, type RouteEntry } from "./router.ts";

const SPEC_STORES: RouteEntry[] = [
  { store: "errs", route: "env=prod AND level=error" },
  { store: "stg", route: "env=staging" },
  { store: "all", route: "*" },
  { store: "rest", route: "+" },
  { store: "off", route: "" },
];

describe("Router", () => {
  test("routes by attributes: all, catch-rest, none and expressions", () => {
    const r = Router.compile(SPEC_STORES);
    const rows: [Attrs, string[]][] = [
      [{ env: "prod", level: "error" }, ["errs", "all"]],
      [{ env: "prod", level: "info" }, ["all", "rest"]],
      [{ ENV: "PROD", LEVEL: "ERROR" }, ["errs", "all"]],
      [{}, ["all", "rest"]],
      [{ env: "staging" }, ["stg", "all"]],
    ];
    expect(rows.map(([a]) => r.route(a))).toEqual(rows.map(([, want]) => want));
    expect(r.stats()).toEqual({ routed: 5, unrouted: 0, perStore: { errs: 2, stg: 1, all: 5, rest: 2, off: 0 } });
  });

  test("catch-rest without catch-all; unrouted messages are counted", () => {
    const r = Router.compile([
      { store: "web", route: "app=web" },
      { store: "other", route: "+" },
      { store: "audit", route: "*=audit NOT host=*" },
    ]);
    expect([r.route({ app: "web" }), r.route({ app: "db" }), r.route({ kind: "AUDIT" }), r.route({ kind: "audit", host: "h" })]).toEqual([["web"], ["other"], ["audit"], ["other"]]);
    const none = Router.compile([{ store: "web", route: "app=web" }, { store: "off", route: "  " }]);
    expect([none.route({ app: "db" }), none.route({})]).toEqual([[], []]);
    expect(none.stats()).toEqual({ routed: 0, unrouted: 2, perStore: { web: 0, off: 0 } });
    expect(Router.compile([]).route({ a: "b" })).toEqual([]);
  });

  test("recompiling keeps counters by store name; bad routes name their store", () => {
    const a = Router.compile([{ store: "x", route: "*" }, { store: "y", route: "a=1" }]);
    a.route({ a: "1" });
    a.route({});
    const b = Router.compile([{ store: "y", route: "*" }, { store: "z", route: "+" }], a);
    b.route({});
    expect(b.stats()).toEqual({ routed: 3, unrouted: 0, perStore: { y: 2, z: 1 } });
    expect(() => Router.compile([{ store: "bad", route: "error" }])).toThrow(`store bad: invalid route "error": token predicates are not allowed in routes`);
  });

  test("property: matches a naive evaluator of the route expression", () => {
    const word = fc.constantFrom("a", "B", "c", "prod", "Prod");
    const pred: fc.Arbitrary<Node> = fc.oneof(
      fc.tuple(word, word).map(([key, value]): Node => ({ kind: "kv", key, value })),
      word.map((key): Node => ({ kind: "key", key })),
      word.map((value): Node => ({ kind: "value", value })),
    );
    const tree = fc.letrec<{ e: Node }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        pred,
        fc.tuple(tie("e"), fc.constantFrom("and" as const, "or" as const), tie("e")).map(([l, kind, r]): Node => ({ kind, l, r })),
        tie("e").map((child): Node => ({ kind: "not", child })),
      ),
    })).e;
    const route = fc.oneof({ weight: 6, arbitrary: tree }, fc.constantFrom<Node>({ kind: "all" }, { kind: "rest" }, { kind: "none" }));
    const attrs = fc.dictionary(word, word, { maxKeys: 3 });
    fc.assert(
      fc.property(fc.array(route, { minLength: 1, maxLength: 4 }), fc.array(attrs, { maxLength: 8 }), (routes, messages) => {
        const r = Router.compile(routes.map((n, i) => ({ store: `s${i}`, route: print(n) })));
        for (const m of messages) expect(r.route(m)).toEqual(naiveRoute(routes, m));
      }),
      { numRuns: 300 },
    );
  });
});

/** A route as a tree, printed to route text for the Router and evaluated directly by naiveRoute. */
type Node =
  | { kind: "kv"; key: string; value: string }
  | { kind: "key"; key: string }
  | { kind: "value"; value: string }
  | { kind: "and" | "or"; l: Node; r: Node }
  | { kind: "not"; child: Node }
  | { kind: "all" | "rest" | "none" };

function print(n: Node): string {
  switch (n.kind) {
    case "kv":
      return `${n.key}=${n.value}`;
    case "key":
      return `${n.key}=*`;
    case "value":
      return `*=${n.value}`;
    case "and":
    case "or":
      return `(${print(n.l)} ${n.kind.toUpperCase()} ${print(n.r)})`;
    case "not":
      return `NOT ${print(n.child)}`;
    case "all":
      return "*";
    case "rest":
      return "+";
    case "none":
      return "";
  }
}

/** The routing rule directly: evaluate each route tree per message, then catch-rest (`+` gets what nothing else took). */
function naiveRoute(routes: Node[], attrs: Attrs): string[] {
  const entries = Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]);
  const evalNode = (n: Node): boolean => {
    switch (n.kind) {
      case "and":
        return evalNode(n.l) && evalNode(n.r);
      case "or":
        return evalNode(n.l) || evalNode(n.r);
      case "not":
        return !evalNode(n.child);
      case "kv":
        return entries.some(([k, v]) => k === n.key.toLowerCase() && v === n.value.toLowerCase());
      case "key":
        return entries.some(([k]) => k === n.key.toLowerCase());
      case "value":
        return entries.some(([, v]) => v === n.value.toLowerCase());
      default:
        throw new Error(`not an expression: ${n.kind}`);
    }
  };
  const kinds = routes.map((n) => (n.kind === "all" || n.kind === "rest" || n.kind === "none" ? n.kind : evalNode(n) ? "hit" : "miss"));
  const anyExpr = kinds.includes("hit");
  return routes.map((_, i) => `s${i}`).filter((_, i) => kinds[i] === "all" || kinds[i] === "hit" || (kinds[i] === "rest" && !anyExpr));
}
