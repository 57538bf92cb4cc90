import { expect, test } from "bun:test";
import fc from "fast-check";
import { decodeAttrs, encodeAttrs } from "./attrs-codec.ts";
import { LogError } from "./errors.ts";

test("empty map is one zero byte; keys are sorted", () => {
  expect(encodeAttrs({})).toEqual(new Uint8Array([0]));
  expect(encodeAttrs({ host: "h1", env: "dev" })).toEqual(
    new Uint8Array([2, 3, ...Buffer.from("env"), 3, ...Buffer.from("dev"), 4, ...Buffer.from("host"), 2, ...Buffer.from("h1")]),
  );
});

test("round trip of arbitrary attribute maps (unicode included)", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" })), (attrs) => {
      expect(decodeAttrs(encodeAttrs(attrs))).toEqual({ ...attrs });
    }),
    { numRuns: 300 },
  );
});

test("a key named __proto__ is an ordinary attribute", () => {
  const attrs = JSON.parse('{"__proto__":"x","a":"b"}');
  expect(Object.entries(decodeAttrs(encodeAttrs(attrs)))).toEqual([["__proto__", "x"], ["a", "b"]]);
});

test("truncated or padded input is reported as corrupt", () => {
  const bytes = encodeAttrs({ service: "api", level: "error" });
  for (let cut = 0; cut < bytes.length; cut++) {
    expect(() => decodeAttrs(bytes.subarray(0, cut))).toThrow(LogError);
  }
  const padded = new Uint8Array([...bytes, 0]);
  expect(() => decodeAttrs(padded)).toThrow("1 trailing bytes");
});
