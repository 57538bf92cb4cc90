/** Table tests for every recognised layout (exact µs), rejections, context use, and fuzzing. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseLeadingTimestamp, TIMESTAMP_SCAN_WINDOW, type TimestampContext } from "./timestamp.ts";

const enc = new TextEncoder();
const CTX: TimestampContext = { year: 2024 };

function parse(line: string, ctx: TimestampContext = CTX): number {
  const bytes = enc.encode(line);
  return parseLeadingTimestamp(bytes, 0, bytes.length, ctx);
}

/** Expected values were produced by Date.parse on the equivalent ISO text, not by this parser. */
const LAYOUTS: [string, string, number][] = [
  ["RFC 3339 µs Z", "2015-07-29T17:41:44.747123Z", 1438191704747123],
  ["RFC 3339 offset", "2015-07-29T17:41:44+02:00", 1438184504000000],
  ["ISO space comma-millis", "2015-07-29 17:41:44,536 INFO", 1438191704536000],
  ["ISO ±hhmm, short fraction", "2015-07-29T17:41:44.1-0530", 1438211504100000],
  ["ISO then comma word", "2016-09-28 04:30:30, Info", 1475037030000000],
  ["DB2 dashed", "2005-06-03-15.42.50.675872 R02", 1117813370675872],
  ["yyyy/mm/dd", "2020/01/31 10:00:00 [error]", 1580464800000000],
  ["HealthApp", "20171223-22:15:29:606|Step", 1514067329606000],
  ["HealthApp unpadded", "20171223-22:16:0:9|Step", 1514067360009000],
  ["ISO basic", "20171223T221529Z x", 1514067329000000],
  ["HDFS", "081109 203615 148 INFO", 1226262975000000],
  ["Spark", "17/06/09 20:10:40 INFO", 1497039040000000],
  ["Android", "03-17 16:13:38.811  1702", 1710692018811000],
  ["Proxifier", "[10.30 16:49:06] chrome.exe", 1730306946000000],
  ["dd.mm.yyyy", "31.12.2020 23:59:59 x", 1609459199000000],
  ["dd-Mon-yyyy", "04-Dec-2005 04:47:44.5 x", 1133671664500000],
  ["CLF", '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET', 971211336000000],
  ["syslog", "Jun 14 15:16:01 combo sshd", 1718378161000000],
  ["syslog padded day", "Jul  1 09:00:55 host", 1719824455000000],
  ["RFC 3164 after PRI", "<34>Oct 11 22:14:15 mymachine su", 1728684855000000],
  ["RFC 5424 after PRI", "<165>1 2003-10-11T22:14:15.003Z host", 1065910455003000],
  ["month day year", "Mar  1 2020 10:00:00 x", 1583056800000000],
  ["Apache error", "[Sun Dec 04 04:47:44 2005] [notice]", 1133671664000000],
  ["ctime fraction", "Sun Dec  4 04:47:44.25 2005", 1133671664250000],
  ["RFC 1123 GMT", "Sun, 04 Dec 2005 04:47:44 GMT", 1133671664000000],
  ["RFC 1123 offset", "Sun, 04 Dec 2005 04:47:44 +0100", 1133668064000000],
  ["epoch s", "1117838570 x", 1117838570000000],
  ["epoch s fraction", "1117838570.25 x", 1117838570250000],
  ["epoch ms", "1117838570123 x", 1117838570123000],
  ["epoch µs", "1117838570123456 x", 1117838570123456],
  ["epoch ns", "1117838570123456789 x", 1117838570123456],
  ["BGL epoch after dash", "- 1117838570 2005.06.03 R02", 1117838570000000],
  ["after level word", "INFO 2021-02-03T04:05:06Z started", 1612325106000000],
  ["JSON field", '{"ts":"2021-02-03T04:05:06.5Z","msg":"x"}', 1612325106500000],
  ["logfmt field", "level=info ts=2021-02-03T04:05:06Z", 1612325106000000],
];

const REJECTED: [string, string][] = [
  ["no timestamp", "hello world"],
  ["empty", ""],
  ["month 13", "2015-13-01T00:00:00Z"],
  ["Feb 30", "2015-02-30 10:00:00"],
  ["Feb 29 in a common year", "2023-02-29 10:00:00"],
  ["hour 24", "2015-01-01 24:00:00"],
  ["time only", "12:00:00 started"],
  ["date only", "2005.06.03 R02"],
  ["11 digits", "11178385701 x"],
  ["epoch past 2100", "9999999999 x"],
  ["date past 2100 (would overflow safe µs)", "7813-05-09 08:06:16.838 7252 INFO"],
  ["date in 2100", "2100-01-01T00:00:00Z x"],
  ["digits glued on", "2015-07-29 17:41:44123 x"],
  ["not at a word start", "abc1117838570 x"],
  ["unknown month", "Foo 14 15:16:01 x"],
  ["outside the window", `${"x".repeat(TIMESTAMP_SCAN_WINDOW)} 2021-02-03T04:05:06Z`],
];

describe("parseLeadingTimestamp", () => {
  test.each(LAYOUTS)("%s: %s", (_name, line, expected) => {
    expect(parse(line)).toBe(expected);
  });

  test.each(REJECTED)("rejects %s", (_name, line) => {
    expect(parse(line)).toBe(0);
  });

  test("context: year and local offset apply to zone-less layouts only", () => {
    const ctx = { year: 2024, tzOffsetMinutes: 120 };
    expect({
      syslog: parse("Jun 14 15:16:01 x", ctx),
      isoNoZone: parse("2015-07-29 17:41:44 x", ctx),
      isoZoned: parse("2015-07-29T17:41:44+02:00", { year: 1999, tzOffsetMinutes: 300 }),
      feb29: parse("Feb 29 10:00:00 x", { year: 2023 }),
    }).toEqual({
      syslog: 1718370961000000,
      isoNoZone: 1438184504000000,
      isoZoned: 1438184504000000,
      feb29: 0,
    });
  });

  test("reads only [start, end) of a larger buffer", () => {
    const bytes = enc.encode("junk 2015-07-29T17:41:44Z|Jun 14 15:16:01 x");
    expect({
      middle: parseLeadingTimestamp(bytes, 5, 25, CTX),
      cutShort: parseLeadingTimestamp(bytes, 5, 20, CTX),
      second: parseLeadingTimestamp(bytes, 26, bytes.length, CTX),
    }).toEqual({ middle: 1438191704000000, cutShort: 0, second: 1718378161000000 });
  });

  test("property: never throws, returns 0 or a positive integer, ignores bytes past end", () => {
    const alphabet = fc.constantFrom(..."0123456789 -:/.,TZ+[]<>JanDecSun\t\n\u00ff".split(""));
    const lineArb = fc.oneof(
      fc.uint8Array({ maxLength: 96 }),
      fc.array(alphabet, { maxLength: 60 }).map((cs) => enc.encode(cs.join(""))),
      fc.constantFrom(...LAYOUTS.map((r) => enc.encode(r[1]))),
    );
    fc.assert(
      fc.property(lineArb, fc.nat(), fc.uint8Array({ maxLength: 32 }), (line, cut, junk) => {
        const end = line.length === 0 ? 0 : cut % (line.length + 1);
        const withJunk = new Uint8Array(end + junk.length);
        withJunk.set(line.subarray(0, end));
        withJunk.set(junk, end);
        const a = parseLeadingTimestamp(line, 0, end, CTX);
        const b = parseLeadingTimestamp(withJunk, 0, end, CTX);
        return a === b && (a === 0 || (Number.isInteger(a) && a > 0));
      }),
      { numRuns: 3000 },
    );
  });
});

test("a year-less timestamp in the future is taken from the previous year", () => {
  const line = new TextEncoder().encode("Dec 10 11:04:45 host sshd[1]: x");
  const nov26 = Date.UTC(2026, 10, 26) * 1000;
  expect(parseLeadingTimestamp(line, 0, line.length, { year: 2026, notAfter: nov26 })).toBe(Date.UTC(2025, 11, 10, 11, 4, 45) * 1000);
  expect(parseLeadingTimestamp(line, 0, line.length, { year: 2026 })).toBe(Date.UTC(2026, 11, 10, 11, 4, 45) * 1000);
  const withYear = new TextEncoder().encode("2026-12-10T11:04:45Z future but explicit");
  expect(parseLeadingTimestamp(withYear, 0, withYear.length, { year: 2026, notAfter: nov26 })).toBe(Date.UTC(2026, 11, 10, 11, 4, 45) * 1000);
});
