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

test("maps encoded one after another with the same, reordered or other keys each encode their own", () => {
  const maps: Record<string, string>[] = [{ b: "1", a: "2" }, { b: "3", a: "4" }, { a: "5", b: "6" }, { b: "7", c: "8" }, { b: "9" }, { c: "x", b: "y", a: "z" }, { b: "é".repeat(70), a: "a".repeat(200) }];
  for (const m of maps) expect(decodeAttrs(encodeAttrs(m))).toEqual(m);
  expect(encodeAttrs({ b: "3", a: "4" })).toEqual(encodeAttrs({ a: "4", b: "3" }));
});
