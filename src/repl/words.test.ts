import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { splitWords, takeReason } from "./words.ts";

describe("splitWords", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["  show  ", ["show"]],
    ['set server.logLevel=debug -m "more logs please"', ["set", "server.logLevel=debug", "-m", "more logs please"]],
    ["set 'stores[x]={\"type\": \"memory\"}'", ["set", 'stores[x]={"type": "memory"}']],
    ['set stores[x]={"type": "memory", "route": "*"} -m x', ["set", 'stores[x]={"type": "memory", "route": "*"}', "-m", "x"]],
    ['set msg="a b"', ["set", 'msg="a b"']],
    ["diff 1\t2", ["diff", "1", "2"]],
  ];
  for (const [text, want] of cases) test(JSON.stringify(text), () => expect(splitWords(text)).toEqual(want));

  test("an unterminated quote is an error", () => {
    expect(() => splitWords('set -m "oops')).toThrow('unterminated " in: set -m "oops');
  });

  test("plain words separated by spaces round-trip", () => {
    const word = fc.string({ unit: fc.constantFrom(..."abcXYZ09.=-_:/"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (ws) => {
        expect(splitWords(ws.join("  "))).toEqual(ws);
      }),
      { numRuns: 100 },
    );
  });
});

describe("takeReason", () => {
  const cases: [string[], { rest: string[]; reason: string }][] = [
    [["a=1"], { rest: ["a=1"], reason: "" }],
    [["-m", "why", "a=1"], { rest: ["a=1"], reason: "why" }],
    [["a=1", "--reason", "because"], { rest: ["a=1"], reason: "because" }],
  ];
  for (const [words, want] of cases) test(words.join(" "), () => expect(takeReason(words)).toEqual(want));

  test("a flag without a value is an error", () => {
    expect(() => takeReason(["a=1", "-m"])).toThrow("-m needs a reason text");
  });
});
