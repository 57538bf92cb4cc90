import { describe, expect, test } from "bun:test";
import { JsonPairReader } from "./json-pairs.ts";
import { walkJsonFields } from "./json-fields.ts";
import { readerEvents, rng, walkerEvents } from "./seal-reader-test-support.ts";

const reader = new JsonPairReader();
const walker = (line: string) => walkerEvents(walkJsonFields, line);

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 7 : 9));
  const words = ["a", "B", "", "x y", "GET", "a\\b", 'q"', "é", "0", "-", "x".repeat(70), "\t"];
  const numbers = [0, -0, 1, -12, 1.5, 0.1, 1e-7, 0.000001, 123456789012345, 1234567890123456789, 1e21, 2.5e-3, -0.25, 100];
  switch (k) {
    case 0:
    case 1:
      return words[Math.floor(r() * words.length)];
    case 2:
      return numbers[Math.floor(r() * numbers.length)];
    case 3:
      return r() < 0.5;
    case 4:
      return null;
    case 5:
    case 6:
      return Math.floor(r() * 1e6);
    case 7:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ["a", "b", "Level", "user", "id", "10", "2", "tags", "x.y", "k".repeat(40)];
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[keys[Math.floor(r() * keys.length)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** Spellings JSON.stringify never writes: spaces, exponents, escapes, repeated keys, damage. */
function respell(r: () => number, text: string): string {
  switch (Math.floor(r() * 8)) {
    case 0:
      return text.replace(/,/g, " ,\n ").replace(/:/g, " : ");
    case 1:
      return text.replace(/(\d)(,|\}|\])/, "$1e0$2");
    case 2:
      return text.replace(/\{"/, '{"a":1,"');
    case 3:
      return text.slice(0, Math.floor(r() * text.length));
    case 4: {
      const at = Math.floor(r() * text.length);
      return text.slice(0, at) + "{}[]\",:x01 \\"[Math.floor(r() * 13)] + text.slice(at + 1);
    }
    case 5:
      return `prefix {not json} ${text} trailing`;
    case 6:
      return text.replace(/"/, '"\\u0041');
    default:
      return text;
  }
}

describe("JSON pairs at seal", () => {
  test.each([
    '{"Level":"error","user":{"id":123},"tags":["production","eu"],"ok":true,"n":null,"x":1.0,"items":[{"sku":"a"}]}',
    '{"a":1,"a":2}',
    '{"a":{"a":1},"b":{"a":2}}',
    '{"10":"x","2":"y","b":[[1,2],[3]]}',
    '{"a":-0}',
    '{"a":1.50,"b":-0.000001}',
    '{"a":0.0000001}',
    '{"a":1234567890123456,"b":12345678901234567}',
    '{"a":1e3}',
    '{"a":01}',
    '{"a":"","b":"' + "v".repeat(65) + '","' + "k".repeat(65) + '":1}',
    'ts=1 app: {"msg":"hi"} }',
    '{"a": broken',
    "{ }",
    "[1, 2]",
    '{"a":tru}',
    '{"a":"\x01"}',
    '{"a":"caf\u00e9"}',
    '{"a":"x\\"y"}',
    `{"d":${"[".repeat(20)}1${"]".repeat(20)}}`,
    `{${Array.from({ length: 257 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
  ])("case %#: the walker's pairs", (line) => {
    const got = readerEvents(reader, line);
    if (got !== "walker") expect(got).toEqual(walker(line));
  });

  test("random objects and respellings: the walker's pairs, most read without it", () => {
    const r = rng(19);
    let read = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const top = r() < 0.8 ? { v: randomValue(r, 0), Id: randomValue(r, 2), "10": randomValue(r, 1) } : randomValue(r, 0);
      const line = respell(r, JSON.stringify(top) ?? "null");
      const got = readerEvents(reader, line);
      if (got === "walker") continue;
      read++;
      expect(got, line).toEqual(walker(line));
    }
    expect(read).toBeGreaterThan(n / 2);
  });
});
