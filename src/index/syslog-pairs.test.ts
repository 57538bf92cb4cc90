import { describe, expect, spyOn, test } from "bun:test";
import { SyslogPairReader } from "./syslog-pairs.ts";
import { syslogFormat, walkSyslogFields } from "./syslog-fields.ts";
import { expectDamagedLinesMatch, readerEvents, walkerEvents } from "./seal-reader-test-support.ts";
import { MessageKvIndexBuilder } from "./msgkv-builder.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { formatPairs } from "./format-pairs.ts";
import { runBuilders, type TestRecord } from "./index-test-support.ts";

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

describe("repeated header fields", () => {
  const enc = new TextEncoder();
  // Runs of one header, a field changing at a time, mixed case (spelled), `-`, a value past 64
  // bytes, a non-ASCII head, a line that is no syslog, and a PRI past 191.
  const lines = [
    ...Array.from({ length: 5 }, (_, i) => `<134>1 2026-01-15T10:00:00.00000${i}Z web-01 nginx 1234 ID47 [origin ip="10.0.0.${i}"] GET /x`),
    "<134>1 2026-01-15T10:00:01Z web-02 nginx 1234 ID47 - GET /y",
    "<134>1 2026-01-15T10:00:01Z web-02 nginx 1235 - - GET /y",
    "<38>Mar  1 10:00:00 Host-3 sshd[4242]: Connection closed",
    "<38>Mar  1 10:00:01 Host-3 sshd[4242]: Connection closed",
    "<38>Mar  1 10:00:01 host-3 sshd[4242]: Connection closed",
    `<38>Mar  1 10:00:01 ${"h".repeat(70)} sshd[4242]: long host`,
    `<38>Mar  1 10:00:01 ${"h".repeat(70)} sshd[4242]: long host`,
    "<38>Mar  1 10:00:01 h\u00e9 sshd[4242]: non-ASCII head",
    "no syslog header in this line at all",
    "<200>Mar  1 10:00:01 host-3 sshd[4242]: PRI past 191",
    "<38>Mar  1 10:00:01 host-3 sshd[4242]: Connection closed",
  ];
  const records: TestRecord[] = lines.map((l) => ({ raw: enc.encode(l), attrs: {} }));
  const build = (memo: boolean) => {
    const b = new MessageKvIndexBuilder(DEFAULT_KV_BUDGET, 64, formatPairs(syslogFormat), "idx.syslog");
    if (!memo) Object.defineProperty(b, "fieldPair", { value: undefined });
    const again = spyOn(b as unknown as { pairAgain(pid: number): boolean }, "pairAgain");
    const bytes = runBuilders([b], records, 4).get("idx.syslog")!.bytes;
    return { bytes, again: again.mock.calls.length };
  };

  test("a field repeating its last value is recorded by its pair id, with the same section bytes", () => {
    const memo = build(true);
    const plain = build(false);
    expect(memo.bytes).toEqual(plain.bytes);
    // Per line, the fields found by id (a value is kept when written lowercase): the four web-01
    // repeats 7 each (not the msgid ID47), web-02 6 and 6, the first sshd line only the
    // severity's two, the mixed-case Host-3 line 6, host-3 6 (Host-3 was not kept), the long-host
    // lines 6 each (the host overflows), the non-ASCII head and the non-syslog line none, the PRI
    // past 191 its app and pid, the last line all 7.
    expect({ again: memo.again, plain: plain.again }).toEqual({ again: 4 * 7 + 6 + 6 + 2 + 6 + 6 + 6 + 6 + 0 + 0 + 2 + 7, plain: 0 });
  });
});
