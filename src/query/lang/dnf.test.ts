import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { LogError } from "../../core/errors.ts";
import type { Expr, PredicateNode } from "./ast.ts";
import { type Branch, MAX_DNF_BRANCHES, describeBranch, toDnf } from "./dnf.ts";
import { parseExpr } from "./parser.ts";

/** Branches rendered as "a b !c" (positives, then negatives with !) for compact tables. */
function show(branches: Branch[]): string[] {
  const w = (p: PredicateNode) => (p.kind === "token" ? p.word : JSON.stringify(p));
  return branches.map((b) => [...b.positive.map(w), ...b.negative.map((p) => `!${w(p)}`)].join(" "));
}

describe("toDnf", () => {
  test.each<[string, string[]]>([
    ["a", ["a"]],
    ["NOT debug", ["!debug"]],
    ["error OR warn", ["error", "warn"]],
    ["(error OR warn) AND NOT debug", ["error !debug", "warn !debug"]],
    ["a OR b AND c", ["a", "b c"]],
    ["NOT a AND b", ["b !a"]],
    ["NOT (a OR b)", ["!a !b"]],
    ["NOT (a AND b)", ["!a", "!b"]],
    ["(a OR b) (c OR d)", ["a c", "a d", "b c", "b d"]],
    ["(a OR b) (c OR d) (e OR f)", ["a c e", "a c f", "a d e", "a d f", "b c e", "b c f", "b d e", "b d f"]],
    ["NOT NOT a", ["a"]],
    ["NOT (a OR NOT (b OR c))", ["b !a", "c !a"]],
    ["a OR a", ["a", "a"]],
  ])("%p", (q, expected) => {
    expect(show(toDnf(parseExpr(q)))).toEqual(expected);
  });

  test("branches hold the predicate objects of the tree", () => {
    expect(toDnf(parseExpr("level=error NOT host=* *=x"))).toEqual([
      {
        positive: [
          { kind: "kv", key: "level", value: "error" },
          { kind: "value_exists", value: "x" },
        ],
        negative: [{ kind: "key_exists", key: "host" }],
      },
    ]);
  });

  test("branch cap: 2^8 = 256 is allowed, 2^9 is a limit error", () => {
    const groups = (n: number) => Array.from({ length: n }, (_, i) => `(a${i} OR b${i})`).join(" ");
    expect(toDnf(parseExpr(groups(8))).length).toBe(MAX_DNF_BRANCHES);
    let err: unknown;
    try {
      toDnf(parseExpr(groups(9)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LogError);
    expect({ code: (err as LogError).code, message: (err as LogError).message }).toEqual({
      code: "limit",
      message:
        "query expands to at least 512 DNF branches, more than the limit of 256: " +
        "combine fewer OR groups with AND (each AND of ORs multiplies the branch count)",
    });
    expect(() => toDnf(parseExpr("a OR b OR c"), 2)).toThrow("at least 3 DNF branches");
  });

  test("property: DNF evaluates like the tree on random truth assignments", () => {
    const names = ["a", "b", "c", "d"];
    const leaf = fc.constantFrom(...names).map((w): Expr => ({ kind: "token", word: w, quoted: false }));
    const tree = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small" },
        leaf,
        tie("e").map((child): Expr => ({ kind: "not", child })),
        fc.tuple(fc.constantFrom("and" as const, "or" as const), fc.array(tie("e"), { minLength: 2, maxLength: 3 }))
          .map(([kind, children]): Expr => ({ kind, children })),
      ),
    })).e;
    const evalTree = (e: Expr, v: Record<string, boolean>): boolean => {
      if (e.kind === "not") return !evalTree(e.child, v);
      if (e.kind === "and") return e.children.every((c) => evalTree(c, v));
      if (e.kind === "or") return e.children.some((c) => evalTree(c, v));
      return v[(e as { word: string }).word]!;
    };
    const truth = fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean(), d: fc.boolean() });
    fc.assert(
      fc.property(tree, truth, (e, v) => {
        let branches: Branch[];
        try {
          branches = toDnf(e);
        } catch (err) {
          expect((err as LogError).code).toBe("limit");
          return;
        }
        const holds = (p: PredicateNode) => v[(p as { word: string }).word as "a"];
        const dnf = branches.some((b) => b.positive.every(holds) && !b.negative.some(holds));
        expect(dnf).toBe(evalTree(e, v));
      }),
      { numRuns: 300 },
    );
  });
});

describe("describeBranch", () => {
  test("positives then negatives, canonical forms", () => {
    expect(toDnf(parseExpr("(a OR k=v) NOT x NOT *=y")).map(describeBranch)).toEqual([
      "token(a) AND NOT token(x) AND NOT *=y",
      "k=v AND NOT token(x) AND NOT *=y",
    ]);
  });
});
