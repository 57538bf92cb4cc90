import { describe, expect, test } from "bun:test";
import { ClfPairReader } from "./clf-pairs.ts";
import { walkClfFields } from "./clf-fields.ts";
import { expectDamagedLinesMatch, readerEvents, walkerEvents } from "./seal-reader-test-support.ts";

const reader = new ClfPairReader();
const walker = (line: string) => walkerEvents(walkClfFields, line);

const LINES = [
  '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/x.png HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0 (X11)"',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 -',
  '10.0.0.1 - - [01/Mar/2024:00:00:00 +0000] "GET /x" 200 5',
  '10.0.0.1 - - [01/Mar/2024:00:00:00 +0000] "GET " 200 5 "-" "-"',
  '10.0.0.1 - - [01/Mar/2024:00:00:00 +0000] "GET /a"b HTTP/1.1" 200 5',
  '10.0.0.1 - - [01/Mar/2024:00:00:00 +0000] "GET /a" HTTP/1.1" 200 5',
  '10.0.0.1 - - [01/Mar/2024:00:00:00 +0000] "GET /a HTTP/1.1"" 200 5',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 5 "ref" "agent" trailing',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 5 "ref" "agent"x',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 5 "ref"',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 5x',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 2000 5',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 -\t"a" "b"',
  '10.0.0.1 - - [x] "GET /a HTTP/1.1" 200 5 "r\\"ef" "a\\\\b"',
  '10.0.0.1 - - [x] "GET /\u00e9 HTTP/1.1" 200 5',
  `10.0.0.1 - - [x] "GET /${"p".repeat(70)} HTTP/1.1" 200 5`,
  '10.0.0.1 - - [] "GET /a HTTP/1.1" 200 5',
  '10.0.0.1  - - [x] "GET /a HTTP/1.1" 200 5',
  "Mar  1 00:00:00 web-3 sshd[43198]: Failed password",
  '{"ts":"2024-03-01T00:00:00.000Z","level":"warn"}',
];

describe("CLF pairs at seal", () => {
  test.each(LINES)("case %#: the walker's pairs", (line) => {
    const got = readerEvents(reader, line);
    if (got !== "walker") expect(got).toEqual(walker(line));
  });

  test("damaged lines: the walker's pairs, most read without it", () => {
    expectDamagedLinesMatch({ reader, walk: walkClfFields, lines: LINES.slice(0, 14), alphabet: ' "[]-\\\t0a/', seed: 7, minRead: 0.8, minParsed: 0.25 });
  });
});
