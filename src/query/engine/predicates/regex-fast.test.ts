/**
 * The native path of regex predicates (regex-fast.ts): which patterns it takes, and that over
 * any text (ASCII, Latin-1 and other UTF-8, the Kelvin sign and long s RE2 folds onto k and s,
 * invalid UTF-8) it marks exactly the records re2js matches, over a whole batch and over
 * candidate rows (matched on their bytes, regex-bytes.ts).
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { batchFromRecords } from "../../../storage/record-batch.ts";
import { BatchMatcher } from "../batch-matcher.ts";
import { fastRegex } from "./regex-fast.ts";
import { regexKind } from "./regex.ts";

const enc = new TextEncoder();

describe("fastRegex", () => {
  const cases: [string, string | undefined][] = [
    ["packetresponder \\d+ for block", "/packetresponder [0123456789]+ for block/gi"],
    ["(?-i)Error: \\d+", "/Error\\x3a [0123456789]+/g"],
    ["(?-i)Error: \\w+", undefined], // \w+ can match the E a new attempt starts with
    ["a[0-9]{2,4}\\.x", "/a[0123456789]{2,4}\\x2ex/gi"],
    ["\\d+x", undefined], // the first atom is quantified: quadratic on a run of digits
    ["a\\w+b", undefined], // \w+ can match the b after it
    ["a\\d*\\d", undefined],
    ["x[a-z]+", undefined], // [a-z] holds x, the first atom
    ["connect(ion)? refused", undefined],
    ["^error", undefined],
    ["a.b", undefined],
    ["a[^b]c", undefined],
    ["a|b", undefined],
    ["a+?b", undefined],
  ];
  for (const [pattern, want] of cases) test(pattern, () => expect(fastRegex(pattern)?.pattern.toString()).toEqual(want));
});

/** Texts over a small alphabet that exercises folding and encodings. */
const PIECES = ["a", "b", "k", "K", "s", "S", "1", "23", " ", ":", "-", "é", "\u212a", "\u017f", "\u00e2", "\u00c5", "\n", "\t"];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(""));
const recordArb = fc.oneof(
  textArb.map((t) => enc.encode(t)),
  fc.tuple(textArb, fc.constantFrom(0xe2, 0xc5, 0x80, 0xff)).map(([t, b]) => new Uint8Array([...enc.encode(t), b])), // invalid UTF-8
);
const ATOMS = ["a", "b", "k", "s", "S", "1", " ", ":", "\\d", "\\w", "\\s", "[ab]", "[k-s]", "[0-9:]", "\\-"];
const QUANTS = ["", "", "", "+", "*", "?", "{1,2}", "{2}"];
const patternArb = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTS)), { minLength: 1, maxLength: 5 }))
  .map(([sensitive, parts]) => (sensitive ? "(?-i)" : "") + parts.map(([a, q]) => a + q).join(""));

describe("native regex evaluation", () => {
  test("marks exactly the records re2js matches (whole batch and candidate rows)", () => {
    let native = 0;
    fc.assert(
      fc.property(patternArb, fc.array(recordArb, { minLength: 1, maxLength: 8 }), (pattern, raws) => {
        const p = regexKind.compile({ kind: "regex", pattern })!;
        if (p.fast === undefined) return; // re2js behind a literal search (regex.ts)
        native++;
        const batch = batchFromRecords(0, raws.map((raw) => ({ raw, attrs: {}, sourceTs: 0, ingestTs: 0, writeTs: 0 })));
        const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
        const want = raws.map((r) => (re.test(r) ? 1 : 0));
        const whole = new Uint8Array(raws.length);
        regexKind.evaluate(p, new BatchMatcher(batch), whole);
        const rows = Uint32Array.from(raws.keys()).filter((i) => i % 2 === 0);
        const some = new Uint8Array(raws.length);
        regexKind.evaluate(p, new BatchMatcher(batch, rows), some);
        expect({ whole: [...whole], rows: [...rows].map((i) => some[i]) }).toEqual({ whole: want, rows: [...rows].map((i) => want[i]) });
      }),
      { numRuns: 4000 },
    );
    expect(native).toBeGreaterThan(500); // the property covers the native path, not only re2js
  });
});

describe("matching on bytes", () => {
  // Long runs of few characters exercise the quantifiers' bounds and the skips between starts.
  const longText = fc.array(fc.constantFrom("a", "b", "k", "K", "1", "2", " ", ":", "é", "\u212a"), { maxLength: 60 }).map((p) => enc.encode(p.join("")));
  test("says what the native RegExp says over the same bytes as latin1, in any range", () => {
    fc.assert(
      fc.property(patternArb, longText, fc.nat(), fc.nat(), (pattern, bytes, a, b) => {
        const fast = fastRegex(pattern);
        if (fast === undefined) return;
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === start ? 0 : b % (bytes.length - start + 1));
        fast.pattern.lastIndex = 0;
        const want = fast.pattern.test(Buffer.from(bytes).toString("latin1", start, end));
        expect(fast.matchesBytes(bytes, start, end)).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });
});
