/** NDJSON bodies -> records: raw texts (any Unicode, many blocks' worth) encode as TextEncoder would. */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { ndjsonRecords } from "./lines.ts";

const ctx = { year: 2026, tzOffsetMinutes: 0 };
const dec = new TextDecoder();

test("property: each record's raw is the UTF-8 of its message (or line), in order, across blocks", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ maxLength: 30000 })), { maxLength: 30 }), (messages) => {
      const body = new TextEncoder().encode(messages.map((m) => JSON.stringify({ message: m, n: 1 })).join("\n"));
      const records = ndjsonRecords(body, { receiver: "r" }, 5, ctx);
      expect(records.map((r) => [dec.decode(r.raw), r.attrs])).toEqual(messages.map((m) => [new TextDecoder().decode(new TextEncoder().encode(m)), { receiver: "r", n: "1" }]));
    }),
    { numRuns: 100 },
  );
});

test("a line that is not JSON keeps its bytes as raw beside the parsed ones", () => {
  const body = Buffer.from('{"msg":"héllo"}\r\nnot json ü\n\n{"log":"x"}');
  expect(ndjsonRecords(body, {}, 5, ctx).map((r) => [dec.decode(r.raw), r.attrs.parse_error ?? ""])).toEqual([["héllo", ""], ["not json ü", "invalid JSON"], ["x", ""]]);
});

test("property: a non-message field becomes an attr of its JSON text (strings as they are)", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !["message", "msg", "log", "__proto__"].includes(k)), fc.jsonValue({ maxDepth: 2 })), (fields) => {
      const line = JSON.stringify({ message: "m", ...fields });
      const want: Record<string, string> = { receiver: "r" };
      for (const [k, v] of Object.entries(JSON.parse(line) as Record<string, unknown>)) if (k !== "message" && v !== null) want[k] = typeof v === "string" ? v : JSON.stringify(v);
      expect(ndjsonRecords(new TextEncoder().encode(line), { receiver: "r" }, 5, ctx)[0]!.attrs).toEqual(want);
    }),
    { numRuns: 300 },
  );
});

test("numbers keep the text they were sent as (1.0, big integers, exponents); a time in any number spelling still sets sourceTs", () => {
  const line = '{"message":"m","ratio":1.0,"id":12345678901234567890,"n":42,"ts":1.7e9,"nested":{"a":1}}';
  const [r] = ndjsonRecords(new TextEncoder().encode(line), {}, 5, ctx);
  expect({ attrs: r!.attrs, sourceTs: r!.sourceTs }).toEqual({ attrs: { ratio: "1.0", id: "12345678901234567890", n: "42", ts: "1.7e9", nested: '{"a":1}' }, sourceTs: 1.7e15 });
});
