import { describe, expect, test } from "bun:test";
import { ParseError } from "../../core/errors.ts";
import { type QueryArgs, parseQueryArgs, splitArgs } from "./controls.ts";
import { parseExpr } from "./parser.ts";
import { parseTimeArg } from "./time-arg.ts";

const S = 1_000_000;
/** 2025-01-01T00:00:00Z in µs. */
const JAN1 = 1735689600 * S;
const NOW = JAN1 + 12 * 3600 * S;

describe("parseTimeArg", () => {
  test.each<[string, number | undefined]>([
    ["2025-01-01T00:00:00Z", JAN1],
    ["2025-01-01t00:00:00z", JAN1],
    ["2025-01-01T00:00:00+01:00", JAN1 - 3600 * S],
    ["2025-01-01T00:00:00-02:30", JAN1 + 9000 * S],
    ["2025-01-01T00:00:00.5Z", JAN1 + 500_000],
    ["2025-01-01T00:00:00.123456789Z", JAN1 + 123_456],
    ["2024-02-29T12:00:00Z", 1709208000 * S],
    ["1735689600", JAN1],
    ["0", 0],
    ["1735689600123", JAN1 + 123_000],
    ["now", NOW],
    ["-30s", NOW - 30 * S],
    ["-15m", NOW - 900 * S],
    ["-2h", NOW - 7200 * S],
    ["-7d", NOW - 7 * 86400 * S],
    ["-1h30m", NOW - 5400 * S],
    ["-500ms", NOW - 500_000],
    ["2025-01-01T00:00:00", undefined],
    ["2025-01-01", undefined],
    ["2025-02-30T00:00:00Z", undefined],
    ["2025-13-01T00:00:00Z", undefined],
    ["2025-01-01T24:00:00Z", undefined],
    ["2025-01-01T00:00:60Z", undefined],
    ["2025-01-01T00:00:00+24:00", undefined],
    ["01735689600", undefined],
    ["17356896001", undefined],
    ["173568960012", undefined],
    ["17356896001234", undefined],
    ["-15", undefined],
    ["15m", undefined],
    ["-1w", undefined],
    ["", undefined],
    ["yesterday", undefined],
  ])("%p", (text, expected) => {
    expect(parseTimeArg(text, NOW)).toBe(expected as number);
  });
});

describe("splitArgs", () => {
  test("respects quotes and escapes, reports offsets", () => {
    expect(splitArgs(`  a "x  y" k='p q'\tz="a\\" b" 'open`)).toEqual([
      { text: "a", start: 2, end: 3 },
      { text: '"x  y"', start: 4, end: 10 },
      { text: "k='p q'", start: 11, end: 18 },
      { text: 'z="a\\" b"', start: 19, end: 28 },
      { text: "'open", start: 29, end: 34 },
    ]);
  });
});

describe("parseQueryArgs", () => {
  const ok = (expr?: string, rest: Partial<QueryArgs> = {}): QueryArgs => ({
    ...(expr === undefined ? {} : { expr: parseExpr(expr) }),
    limit: 0,
    reverse: false,
    stages: [],
    ...rest,
  });
  test.each<[string, QueryArgs]>([
    ["", ok()],
    ["   ", ok()],
    ["error", ok("error")],
    // a regex with spaces is one argument: "limit=5" inside it is pattern text
    ["/a limit=5 b/ limit=2", ok("/a limit=5 b/", { limit: 2 })],
    // control arguments anywhere in the line, last one of each kind an error
    [
      "start=2025-01-01T00:00:00Z end=2025-01-02T00:00:00Z error limit=50",
      ok("error", { start: JAN1, end: JAN1 + 86400 * S, limit: 50 }),
    ],
    ["start=2025-01-01T00:00:00+01:00", ok(undefined, { start: JAN1 - 3600 * S })],
    // quotes keep their spacing; quoted control-looking text is not a control
    ['"disk   full" limit=5', ok('"disk   full"', { limit: 5 })],
    ['msg="a  limit=3" x', ok('msg="a  limit=3" x')],
    ['"limit"=3', ok('"limit"=3')],
    ["Limit=3 START=x", ok("Limit=3 START=x")],
    ["reverse=true a", ok("a", { reverse: true })],
    ["reverse=false", ok()],
    ["last=15m x", ok("x", { start: NOW - 900 * S })],
    ["last=all", ok()],
    ["last=2h end=now", ok(undefined, { start: NOW - 7200 * S, end: NOW })],
    ["start=-1d end=-1h", ok(undefined, { start: NOW - 86400 * S, end: NOW - 3600 * S })],
    ["limit=0", ok()],
    ["limit=007", ok(undefined, { limit: 7 })],
    ["(a limit=2 OR b)", ok("(a OR b)", { limit: 2 })],
  ])("%p", (line, expected) => {
    expect(parseQueryArgs(line, NOW)).toEqual(expected);
  });

  test.each<[string, number, string]>([
    ["start=yesterday", 6, 'Invalid start time: "yesterday"'],
    ["x end=2025-01-01", 6, 'Invalid end time: "2025-01-01"'],
    ["start=", 6, 'Invalid start time: ""'],
    // one rule for limit= and --limit: a whole number, 0 = unlimited (issue 10, item 7)
    ["limit=ten", 6, 'Invalid limit: "ten" (expected a whole number ≥ 0; 0 = unlimited)'],
    ["limit=5x", 6, 'Invalid limit: "5x" (expected a whole number ≥ 0; 0 = unlimited)'],
    ["limit=-1", 6, 'Invalid limit: "-1" (expected a whole number ≥ 0; 0 = unlimited)'],
    ["limit=1.5", 6, 'Invalid limit: "1.5" (expected a whole number ≥ 0; 0 = unlimited)'],
    ["limit=1e3", 6, 'Invalid limit: "1e3" (expected a whole number ≥ 0; 0 = unlimited)'],
    // bounds given backwards are an error at end=, not a request for reverse order
    ["start=1735776000 end=1735689600 level=error", 21, "end= 2025-01-01T00:00:00.000000Z is not after start= 2025-01-02T00:00:00.000000Z"],
    ["reverse=true start=1735776000 end=1735689600", 34, "end= 2025-01-01T00:00:00.000000Z is not after start="],
    ["end=1735689600 x start=1735689600", 4, "end= 2025-01-01T00:00:00.000000Z is not after start= 2025-01-01T00:00:00.000000Z"],
    ["last=1h end=-2h", 12, "end= "],
    ["reverse=yes", 8, 'Invalid reverse: "yes" (expected true or false)'],
    ["last=15", 5, 'Invalid last duration: "15" (expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m, or all)'],
    ["limit=1 limit=2", 8, "duplicate limit= argument"],
    ["last=1h start=now", 0, "last= and start= cannot be combined: give one lower bound"],
    ["größe start=x", 14, 'Invalid start time: "x"'],
    ["limit=5 a=b=c", 11, "unexpected '=' after a complete predicate (quote a value that contains '=')"],
    ['start=now "abc', 10, 'unterminated string: expected a closing "'],
  ])("%p fails", (line, position, detailPrefix) => {
    let err: unknown;
    try {
      parseQueryArgs(line, NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect({ position: pe.position, detail: pe.detail.slice(0, detailPrefix.length) }).toEqual({
      position,
      detail: detailPrefix,
    });
  });
});
