import { expect, test } from "bun:test";
import fc from "fast-check";
import { asciiLower } from "../../core/ascii.ts";
import { findTerms, highlightTerms } from "./highlight.ts";

test("highlightTerms keeps positive words, phrases and key=value values", () => {
  const cases: [string, string[]][] = [
    ["error AND NOT debug", ["error"]],
    ['"disk full" OR a AND b', ["disk full", "a", "b"]],
    ['level=error AND host=*', ["error"]],
    ['msg="x y" AND NOT foo', ["x y"]],
    ["*=Timeout", ["timeout"]],
    ["", []],
  ];
  for (const [expr, want] of cases) expect(highlightTerms(expr).sort()).toEqual(want.sort());
});

test("findTerms returns sorted, non-overlapping ranges whose text equals a term (case-insensitively)", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), fc.array(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 4 }), (text, terms) => {
      const ranges = findTerms(text, terms);
      for (let i = 0; i < ranges.length; i++) {
        const [s, e] = ranges[i]!;
        expect(terms).toContain(asciiLower(text.slice(s, e)));
        if (i > 0) expect(s).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
      }
    }),
    { numRuns: 200 },
  );
});

test("findTerms finds every occurrence ignoring ASCII case", () => {
  expect(findTerms("Error: error ERROR", ["error"])).toEqual([[0, 5], [7, 12], [13, 18]]);
});
