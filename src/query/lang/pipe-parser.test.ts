/** Pipe stages: the spellings parse to the expected stages, print back, and bad stages fail with a position. */

import { describe, expect, test } from "bun:test";
import { ParseError } from "../../core/errors.ts";
import { parseQueryArgs } from "./controls.ts";
import type { PipeStage } from "./pipe-ast.ts";
import { aggColumn } from "./pipe-ast.ts";
import { printStages } from "./pipe-printer.ts";
import { parseExpr } from "./parser.ts";

const M = 60_000_000;
const stages = (line: string): PipeStage[] => parseQueryArgs(line, 0).stages;

describe("pipe stages", () => {
  test.each<[string, PipeStage[]]>([
    ["error | stats count()", [{ kind: "stats", aggs: [{ fn: "count" }], by: [] }]],
    [
      "* | stats count(), count_distinct(host), min(_time), max(_time) as last, sum(bytes), avg(ms), quantile(0.99, ms) by host, app",
      [
        {
          kind: "stats",
          aggs: [{ fn: "count" }, { fn: "count_distinct", field: "host" }, { fn: "min", field: "_time" }, { fn: "max", field: "_time", alias: "last" }, { fn: "sum", field: "bytes" }, { fn: "avg", field: "ms" }, { fn: "quantile", q: 0.99, field: "ms" }],
          by: [{ kind: "field", name: "host" }, { kind: "field", name: "app" }],
        },
      ],
    ],
    ["|stats count() BY bin(5m)", [{ kind: "stats", aggs: [{ fn: "count" }], by: [{ kind: "bin", width: 5 * M, time: "_time" }] }]],
    ["| stats dcount(u), median(ms) by bin(1h, ingest_ts)", [{ kind: "stats", aggs: [{ fn: "count_distinct", field: "u" }, { fn: "quantile", q: 0.5, field: "ms" }], by: [{ kind: "bin", width: 60 * M, time: "ingest_ts" }] }]],
    ["| timechart 20 by level", [{ kind: "timechart", buckets: 20, by: "level" }]],
    ["a | where level=error OR -b | head", [{ kind: "where", expr: parseExpr("level=error OR -b") }, { kind: "head", n: 10 }]],
    ["| stats count() by host | sort -count, host | head 3 | fields host, count | rename count as n, host as h", [
      { kind: "stats", aggs: [{ fn: "count" }], by: [{ kind: "field", name: "host" }] },
      { kind: "sort", keys: [{ field: "count", desc: true }, { field: "host", desc: false }] },
      { kind: "head", n: 3 },
      { kind: "fields", names: ["host", "count"] },
      { kind: "rename", pairs: [{ from: "count", to: "n" }, { from: "host", to: "h" }] },
    ]],
  ])("%s", (line, want) => {
    expect(stages(line)).toEqual(want);
    expect(stages(`x${printStages(want)}`)).toEqual(want);
  });

  test("the filter part keeps control arguments and quoted pipes; '*' alone matches everything", () => {
    const q = parseQueryArgs(`"a|b" limit=5 | where c=d limit=7`, 0);
    expect(q).toEqual({ expr: parseExpr(`"a|b"`), limit: 5, reverse: false, stages: [{ kind: "where", expr: parseExpr("c=d limit=7") }] });
    expect(parseQueryArgs("* | head 2", 0)).toEqual({ limit: 0, reverse: false, stages: [{ kind: "head", n: 2 }] });
  });

  test("default column names follow the issue", () => {
    const s = stages("| stats count(), count_distinct(f), min(f), max(f), sum(f), avg(f), quantile(0.5, f), count(f) as n")[0]!;
    expect(s.kind === "stats" ? s.aggs.map(aggColumn) : []).toEqual(["count", "count_distinct_f", "min_f", "max_f", "sum_f", "avg_f", "quantile_f", "n"]);
  });

  test.each<[string, number, string]>([
    ["a | ", 4, "expected a pipe stage"],
    ["a | bogus x", 4, "unknown pipe stage 'bogus'"],
    ["| stats", 7, "expected an aggregation"],
    ["| stats count(", 14, "')' to close count("],
    ["| stats avg()", 12, "a field name for avg()"],
    ["| stats quantile(2, x)", 17, "fraction from 0 to 1"],
    ["| stats count() by bin(5q)", 23, "bucket width"],
    ["| timechart 0", 12, "1 to 10000 buckets"],
    ["| head -1", 7, "whole number"],
    ["| rename a b", 11, "expected 'as'"],
    ["| where a AND", 13, "expected expression after AND"],
    ["| where ", 8, "where needs a filter"],
  ])("%s fails at %d", (line, pos, msg) => {
    let err: unknown;
    try {
      stages(line);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect({ pos: (err as ParseError).position, has: (err as ParseError).detail.includes(msg) }).toEqual({ pos, has: true });
  });
});
