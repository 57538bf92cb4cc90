import { describe, expect, test } from "bun:test";
import { LogfmtPairReader } from "./logfmt-pairs.ts";
import { logfmtFormat, walkLogfmtFields } from "./logfmt-fields.ts";
import { expectDamagedLinesMatch, readerEvents, rng, walkerEvents } from "./seal-reader-test-support.ts";
import type { FieldWalk, FieldVisitor } from "./field-walk.ts";

const reader = new LogfmtPairReader();
const walker = (line: string) => walkerEvents(walkLogfmtFields, line);

const LINES = [
  'ts=2024-03-01T00:00:00Z level=info msg="query done" db=orders rows=71204 duration=17ms',
  'level=info msg="user \\"bob\\" created" Status=201 empty= path=/x',
  "level=info and words",
  'a="unterminated b=1',
  'a="x"y b=1',
  'a=x"y',
  "a=1\tb=2  c=3 ",
  "a=1\rb=2",
  "a=1 \r",
  `${"k".repeat(64)}=1 ${"j".repeat(65)}=2`,
  `a=${"v".repeat(65)} b=""`,
  "_a.b-c=1 9x=2",
  "a=caf\u00e9 b=1",
  'a="caf\u00e9"',
  "a=1\u00a0b=2",
  "=1",
  "a==1",
  'msg=""',
];

describe("logfmt pairs at seal", () => {
  test.each(LINES)("case %#: the walker's pairs", (line) => {
    const got = readerEvents(reader, line);
    if (got !== "walker") expect(got).toEqual(walker(line));
  });

  test("damaged lines: the walker's pairs, most read without it", () => {
    expectDamagedLinesMatch({ reader, walk: walkLogfmtFields, lines: LINES.slice(0, 12), alphabet: ' ="\\\t\rA.-9', seed: 11, minRead: 0.7, minParsed: 1 / 6 });
  });
});

describe("logfmt fields at query time", () => {
  const enc = new TextEncoder();
  /** The fields `walk` visits in order, as written, and its result; stopping at field `stopAt`. */
  const visited = (walk: (d: Uint8Array, s: number, e: number, v: FieldVisitor) => FieldWalk, line: string, stopAt = Infinity) => {
    const raw = enc.encode(line);
    const fields: string[] = [];
    const result = walk(raw, 0, raw.length, (k, v) => fields.push(`${k}=${v}`) > stopAt);
    return { fields, result };
  };

  test("the format's walk visits what the pattern visits, in order and as written, stopping where asked", () => {
    const r = rng(5);
    const alphabet = ' ="\\\tAb.-9\u00e9';
    const lines = [...LINES];
    for (let i = 0; i < 2000; i++) {
      let line = LINES[i % 12]!;
      const at = Math.floor(r() * line.length);
      line = line.slice(0, at) + alphabet[Math.floor(r() * alphabet.length)] + line.slice(at + (i % 2));
      lines.push(line);
    }
    for (const line of lines) for (const stopAt of [Infinity, 1]) expect({ line, ...visited(logfmtFormat.walk, line, stopAt) }).toEqual({ line, ...visited(walkLogfmtFields, line, stopAt) });
  });
});
