import { describe, expect, test } from "bun:test";
import { LogfmtPairReader } from "./logfmt-pairs.ts";
import { walkLogfmtFields } from "./logfmt-fields.ts";
import { readerEvents, rng, walkerEvents } from "./seal-reader-test-support.ts";

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

/** A damaged copy of `line`: one byte replaced, removed or inserted, or cut short. */
function damage(r: () => number, line: string): string {
  const at = Math.floor(r() * line.length);
  const bytes = ' ="\\\t\rA.-9';
  switch (Math.floor(r() * 4)) {
    case 0:
      return line.slice(0, at) + bytes[Math.floor(r() * bytes.length)] + line.slice(at + 1);
    case 1:
      return line.slice(0, at) + line.slice(at + 1);
    case 2:
      return line.slice(0, at) + bytes[Math.floor(r() * bytes.length)] + line.slice(at);
    default:
      return line.slice(0, at);
  }
}

describe("logfmt pairs at seal", () => {
  test.each(LINES)("case %#: the walker's pairs", (line) => {
    const got = readerEvents(reader, line);
    if (got !== "walker") expect(got).toEqual(walker(line));
  });

  test("damaged lines: the walker's pairs, most read without it", () => {
    const r = rng(11);
    let read = 0;
    let parsed = 0;
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      let line = LINES[Math.floor(r() * 12)]!;
      for (let d = Math.floor(r() * 3); d >= 0; d--) line = damage(r, line);
      const got = readerEvents(reader, line);
      if (got === "walker") continue;
      read++;
      if (got.length > 0) parsed++;
      expect(got, line).toEqual(walker(line));
    }
    expect(read).toBeGreaterThan(n * 0.7);
    expect(parsed).toBeGreaterThan(n / 6);
  });
});
