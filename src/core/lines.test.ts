/** LineSplitter: terminators, carried partial lines, truncation, binary flags; chunking-invariance. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isBinary, LineSplitter, type LineSink } from "./lines.ts";

interface Line {
  text: string;
  full: number;
  binary: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

function split(chunks: (string | Uint8Array)[], maxLine?: number): Line[] {
  const out: Line[] = [];
  const sink: LineSink = {
    line: (buf, start, end, full, binary) => out.push({ text: dec.decode(buf.subarray(start, end)), full, binary }),
  };
  const s = new LineSplitter(maxLine);
  for (const c of chunks) s.push(typeof c === "string" ? enc.encode(c) : c, sink);
  s.finish(sink);
  return out;
}

/** Obvious (slow) model: split on LF, drop one trailing CR, cut to maxLine, fatal-decode check. */
function reference(all: Uint8Array, maxLine: number): Line[] {
  const parts: number[][] = [[]];
  for (const b of all) b === 0x0a ? parts.push([]) : parts[parts.length - 1]!.push(b);
  if (parts[parts.length - 1]!.length === 0) parts.pop();
  return parts.map((p) => {
    if (p[p.length - 1] === 0x0d) p.pop();
    const kept = p.slice(0, maxLine);
    let check = kept;
    if (p.length > maxLine) {
      const lead = kept.findLastIndex((b) => (b & 0xc0) !== 0x80);
      if (lead >= Math.max(0, kept.length - 3)) check = kept.slice(0, lead);
    }
    let binary = kept.includes(0);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(check));
    } catch {
      binary = true;
    }
    return { text: dec.decode(new Uint8Array(kept)), full: p.length, binary };
  });
}

const L = (text: string, binary = false): Line => ({ text, full: text.length, binary });

describe("LineSplitter", () => {
  test.each<[string, (string | Uint8Array)[], Line[]]>([
    ["one chunk", ["a\nbb\n"], [L("a"), L("bb")]],
    ["final line without newline", ["a\nbb"], [L("a"), L("bb")]],
    ["CRLF stripped", ["a\r\nb\r\n"], [L("a"), L("b")]],
    ["lone CR kept", ["a\rb\n"], [L("a\rb")]],
    ["empty lines kept", ["\n\na\n"], [L(""), L(""), L("a")]],
    ["no input", [], []],
    ["only newline", ["\n"], [L("")]],
    ["line across three chunks", ["ab", "cd", "ef\ng"], [L("abcdef"), L("g")]],
    ["CR and LF in different chunks", ["ab\r", "\ncd"], [L("ab"), L("cd")]],
    ["chunk boundary right after newline", ["ab\n", "cd\n"], [L("ab"), L("cd")]],
    ["final CR stripped at end of input", ["ab\r"], [L("ab")]],
    ["NUL is binary", ["a\0b\nok\n"], [L("a\0b", true), L("ok")]],
    ["invalid UTF-8 is binary", [new Uint8Array([0x61, 0xff, 0x0a, 0x62, 0x0a])], [L("a\u00ff", true), L("b")]],
    ["UTF-8 split across chunks is not binary", [new Uint8Array([0x61, 0xc3]), new Uint8Array([0xa9, 0x0a])], [L("a\u00c3\u00a9")]],
  ])("%s", (_name, chunks, expected) => {
    expect(split(chunks)).toEqual(expected);
  });

  test.each<[string, (string | Uint8Array)[], Line[]]>([
    ["long line inside one chunk", ["abcdefgh\nxy\n"], [{ text: "abcde", full: 8, binary: false }, L("xy")]],
    ["long carried line", ["abc", "defg", "hij\nxy"], [{ text: "abcde", full: 10, binary: false }, L("xy")]],
    ["long line with CRLF", ["abcdef\r\n"], [{ text: "abcde", full: 6, binary: false }]],
    ["exactly the limit with CRLF across chunks", ["abcde\r", "\n"], [L("abcde")]],
    ["torn character at the cut is not binary", [new Uint8Array([0x61, 0x62, 0x63, 0x64, 0xc3, 0xa9, 0x0a])], [{ text: "abcd\u00c3", full: 6, binary: false }]],
    ["torn character in a carried line", [new Uint8Array([0x61, 0x62, 0x63, 0x64]), new Uint8Array([0xc3, 0xa9])], [{ text: "abcd\u00c3", full: 6, binary: false }]],
  ])("maxLine 5: %s", (_name, chunks, expected) => {
    expect(split(chunks, 5)).toEqual(expected);
  });

  test("isBinary", () => {
    const b = new Uint8Array([0x61, 0x00, 0xe2, 0x82, 0xac, 0xe2, 0x82]);
    expect([isBinary(b, 0, 2, false), isBinary(b, 2, 5, false), isBinary(b, 2, 7, false), isBinary(b, 2, 7, true)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  test("property: lineEnd is the offset after each line's terminator, and resuming there yields the rest", () => {
    const bytes = fc.array(fc.constantFrom(0x61, 0x0a, 0x0d), { maxLength: 60 });
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(60), { maxLength: 5 }), (data, cuts) => {
        const all = new Uint8Array(data);
        const run = (from: number): { ends: number[]; texts: string[] } => {
          const ends: number[] = [];
          const texts: string[] = [];
          const s = new LineSplitter(8, from);
          const sink: LineSink = {
            line: (buf, start, end) => {
              ends.push(s.lineEnd);
              texts.push(dec.decode(buf.subarray(start, end)));
            },
          };
          const points = [...new Set(cuts.map((c) => Math.min(Math.max(c, from), all.length)))].sort((a, b) => a - b);
          let prev = from;
          for (const p of [...points, all.length]) {
            s.push(all.slice(prev, p), sink);
            prev = p;
          }
          s.finish(sink);
          return { ends, texts };
        };
        const whole = run(0);
        const expected = [...all.keys()].filter((i) => all[i] === 0x0a).map((i) => i + 1);
        if (all.length > 0 && all[all.length - 1] !== 0x0a) expected.push(all.length);
        expect(whole.ends).toEqual(expected);
        for (let k = 0; k < whole.ends.length; k++) {
          const rest = run(whole.ends[k]!);
          expect(rest).toEqual({ ends: whole.ends.slice(k + 1), texts: whole.texts.slice(k + 1) });
        }
      }),
      { numRuns: 300 },
    );
  });

  test("property: any chunking yields the lines of a simple reference model", () => {
    const bytes = fc.array(fc.constantFrom(0x61, 0x62, 0x0a, 0x0d, 0x00, 0xc3, 0xa9, 0xff), { maxLength: 80 });
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(80), { maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (data, cuts, maxLine) => {
        const all = new Uint8Array(data);
        const points = [...new Set(cuts.map((c) => Math.min(c, all.length)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, all.length]) {
          chunks.push(all.slice(prev, p));
          prev = p;
        }
        expect(split(chunks, maxLine)).toEqual(reference(all, maxLine));
      }),
      { numRuns: 400 },
    );
  });
});
