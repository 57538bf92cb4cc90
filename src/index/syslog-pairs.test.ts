import { describe, expect, test } from "bun:test";
import { SyslogPairReader } from "./syslog-pairs.ts";
import { walkSyslogFields } from "./syslog-fields.ts";
import { expectDamagedLinesMatch, readerEvents, walkerEvents } from "./seal-reader-test-support.ts";

const reader = new SyslogPairReader();
const walker = (line: string) => walkerEvents(walkSyslogFields, line);

const LINES = [
  "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
  "<13>Feb  5 17:32:18 10.0.0.99 myapp[1234]: hello",
  "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure",
  "<999>Feb  5 17:32:18 h a: x",
  "<200>Feb  5 17:32:18 h a: x",
  "<165>1234 2003-08-24T05:14:15Z host app pid msgid",
  "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
  "<165>1 2003-08-24T05:14:15Z host app pid msgid",
  "<165>12 2003-08-24T05:14:15Z host app pid",
  "2024-03-01T00:00:00.123+01:00 web-1 nginx[12]: GET /",
  "2024-03-01T00:00:00+0100 web-1 nginx: GET /",
  "2024-03-01T00:00:00. web-1 nginx: x",
  "Mar  1 00:00:00 web-3 sshd[43198]: Failed password",
  "Mar  1 00:00:00 web-3 sshd[]: x",
  "Mar  1 00:00:00 web-3 sshd[1 2]: x",
  "Mar  1 00:00:00 web-3 sshd:x",
  `Mar  1 00:00:00 ${"h".repeat(70)} app: x`,
  `<13>1 2003-10-11T22:14:15Z host app pid ${"m".repeat(600)}`,
  "<13>Feb  5 17:32:18 h\u00e9 a: x",
  "Mar 1 00:00:00 web-3 sshd: x",
  "INFO 2024 something: x y z w",
];

describe("syslog pairs at seal", () => {
  test.each(LINES)("case %#: the walker's pairs", (line) => {
    const got = readerEvents(reader, line);
    if (got !== "walker") expect(got).toEqual(walker(line));
  });

  test("damaged lines: the walker's pairs, most read without it", () => {
    expectDamagedLinesMatch({ reader, walk: walkSyslogFields, lines: LINES.slice(0, 16), alphabet: " <>[]:-\t9Ta.Z+", seed: 5, minRead: 0.8, minParsed: 1 / 6 });
  });
});
