import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { lineFeeder, sniffBom, type Encoding } from "./line-feeder.ts";

interface Line {
  text: string;
  at: number;
  next: number;
  full: number;
}

const dec = new TextDecoder();

/** Feeds `bytes` cut at `cuts` and returns every line (end() at the end when `finish`). */
function feed(bytes: Uint8Array, encoding: Encoding, maxLine: number, cuts: number[], finish = true, base = 0): Line[] {
  const out: Line[] = [];
  const f = lineFeeder({ line: (buf, s, e, at, next, full) => out.push({ text: dec.decode(buf.subarray(s, e)), at, next, full }) }, maxLine, encoding);
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    f.push(bytes.subarray(prev, c), base + prev);
    prev = c;
  }
  if (finish) f.end();
  return out;
}

function utf16(text: string, le: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i + (le ? 0 : 1)] = u & 0xff;
    out[2 * i + (le ? 1 : 0)] = u >> 8;
  }
  return out;
}

const enc = new TextEncoder();

describe("UTF-8", () => {
  const cases: { name: string; input: string; maxLine: number; finish: boolean; want: Line[] }[] = [
    { name: "LF and CRLF lines, offsets of each", input: "ab\r\ncd\n\nef\n", maxLine: 100, finish: true, want: [{ text: "ab", at: 0, next: 4, full: 2 }, { text: "cd", at: 4, next: 7, full: 2 }, { text: "", at: 7, next: 8, full: 0 }, { text: "ef", at: 8, next: 11, full: 2 }] },
    { name: "an unterminated last line waits for end()", input: "ab\ncd", maxLine: 100, finish: false, want: [{ text: "ab", at: 0, next: 3, full: 2 }] },
    { name: "end() hands out the unterminated line", input: "ab\ncd", maxLine: 100, finish: true, want: [{ text: "ab", at: 0, next: 3, full: 2 }, { text: "cd", at: 3, next: 5, full: 2 }] },
    { name: "lines over the limit keep their head and full length", input: "abcdefgh\nxy\nlongerline\n", maxLine: 4, finish: true, want: [{ text: "abcd", at: 0, next: 9, full: 8 }, { text: "xy", at: 9, next: 12, full: 2 }, { text: "long", at: 12, next: 23, full: 10 }] },
    { name: "multi-byte characters pass through", input: "é€😀\n", maxLine: 100, finish: true, want: [{ text: "é€😀", at: 0, next: 10, full: 9 }] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const bytes = enc.encode(c.input);
      // every way of cutting the input into two chunks gives the same lines
      for (let cut = 0; cut <= bytes.length; cut++) expect(feed(bytes, "utf-8", c.maxLine, [cut], c.finish)).toEqual(c.want);
    });
  }

  test("offsets start at the first chunk's file offset", () => {
    expect(feed(enc.encode("a\nb\n"), "utf-8", 10, [], true, 1000)).toEqual([
      { text: "a", at: 1000, next: 1002, full: 1 },
      { text: "b", at: 1002, next: 1004, full: 1 },
    ]);
  });

  test("property: any chunking yields the same lines as one chunk", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 8 }), fc.array(fc.nat(200), { maxLength: 5 }), fc.integer({ min: 1, max: 16 }), (lines, rawCuts, maxLine) => {
        const bytes = enc.encode(lines.map((l) => l.replace(/[\r\n]/g, "") + "\n").join(""));
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(feed(bytes, "utf-8", maxLine, cuts)).toEqual(feed(bytes, "utf-8", maxLine, []));
      }),
    );
  });
});

describe("UTF-16", () => {
  const text = "line ä1\r\nline 😀2\nlast";
  for (const le of [true, false]) {
    const encoding: Encoding = le ? "utf-16le" : "utf-16be";
    test(`${encoding}: lines transcoded to UTF-8, offsets in file bytes, any chunking`, () => {
      const bytes = utf16(text, le);
      const want: Line[] = [
        { text: "line ä1", at: 0, next: 18, full: 8 },
        { text: "line 😀2", at: 18, next: 36, full: 10 },
        { text: "last", at: 36, next: 44, full: 4 },
      ];
      for (let cut = 0; cut <= bytes.length; cut++) expect(feed(bytes, encoding, 100, [cut])).toEqual(want);
    });
  }

  test("BOM sniffing", () => {
    expect([sniffBom(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), sniffBom(new Uint8Array([0xff, 0xfe])), sniffBom(new Uint8Array([0xfe, 0xff, 0])), sniffBom(enc.encode("plain"))]).toEqual([
      { encoding: "utf-8", bom: 3 },
      { encoding: "utf-16le", bom: 2 },
      { encoding: "utf-16be", bom: 2 },
      undefined,
    ]);
  });
});
