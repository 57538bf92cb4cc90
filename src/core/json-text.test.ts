import { expect, test } from "bun:test";
import fc from "fast-check";
import { parseJsonText, quoteRespelledNumbers } from "./json-text.ts";

/** The definition, through JSON.parse's source text: a number JavaScript respells becomes its source. */
function reference(text: string): unknown {
  return JSON.parse(text, (_k, v, ctx?: { source?: string }) => (typeof v === "number" && String(v) !== ctx?.source ? ctx?.source : v));
}

test("numbers JavaScript prints differently come back as written; the rest as JSON.parse gives them", () => {
  const cases: [string, unknown][] = [
    ['{"a":1,"b":1.5,"c":-2,"d":0,"e":0.25,"f":true,"g":null,"h":"1.0"}', { a: 1, b: 1.5, c: -2, d: 0, e: 0.25, f: true, g: null, h: "1.0" }],
    ['{"a":1.0}', { a: "1.0" }],
    ['{"a":1.50,"b":2}', { a: "1.50", b: 2 }],
    ['{"a":1e3,"b":1E3,"c":2.5e-3}', { a: "1e3", b: "1E3", c: "2.5e-3" }],
    ['{"a":-0,"b":-0.0,"c":0.0}', { a: "-0", b: "-0.0", c: "0.0" }],
    ['{"id":12345678901234567890,"n":123456789012345,"m":1234567890123456}', { id: "12345678901234567890", n: 123456789012345, m: 1234567890123456 }],
    ['{"a":0.0000001,"b":0.000001}', { a: "0.0000001", b: 0.000001 }],
    ['{"s":"x\\"1.0\\\\","a":[1.0,{"b":2.10}],"t":"\\\\"}', { s: 'x"1.0\\', a: ["1.0", { b: "2.10" }], t: "\\" }],
    ["[ 1.0 , 2 ]", ["1.0", 2]],
  ];
  expect(cases.map(([text]) => parseJsonText(text))).toEqual(cases.map(([, want]) => want));
});

test("invalid JSON throws as JSON.parse does", () => {
  expect(() => parseJsonText('{"a":1.0')).toThrow(SyntaxError);
});

test("parseJsonText agrees with JSON.parse's source text on any JSON; texts without respelled numbers are left alone (property)", () => {
  const number = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map(String),
    fc.tuple(fc.integer({ min: -99, max: 99 }), fc.nat({ max: 999 }), fc.constantFrom("", "0", "00"), fc.constantFrom("", "e5", "E-2", "e+0")).map(([i, f, z, e]) => `${i}.${f}${z}${e}`),
    fc.constantFrom("-0", "0", "-0.0", "1E21", "0.000001", "0.0000001", "9007199254740993"),
  );
  const json = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      number,
      fc.string({ unit: fc.constantFrom("a", '"', "\\", "1", ".", "0", "e", "-", " ") }).map((s) => JSON.stringify(s)),
      fc.constantFrom("true", "false", "null"),
      fc.array(tie("value"), { maxLength: 4 }).map((a) => `[${a.join(" , ")}]`),
      // Keys unique: a repeated key's earlier value is parsed but not kept, so only the scan sees it.
      fc.uniqueArray(fc.tuple(fc.string({ maxLength: 3 }), tie("value")), { maxLength: 4, selector: ([k]) => k }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
    ),
  })).value;
  fc.assert(
    fc.property(json, (text) => {
      const want = reference(text);
      expect(parseJsonText(text)).toEqual(want);
      expect(quoteRespelledNumbers(text) === undefined).toBe(Bun.deepEquals(JSON.parse(text), want, true));
    }),
    { numRuns: 5000 },
  );
});
