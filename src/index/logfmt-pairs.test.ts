import { describe, expect, test } from "bun:test";
import { LogfmtPairReader } from "./logfmt-pairs.ts";
import { walkLogfmtFields } from "./logfmt-fields.ts";
import { expectDamagedLinesMatch, readerEvents, walkerEvents } from "./seal-reader-test-support.ts";

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
