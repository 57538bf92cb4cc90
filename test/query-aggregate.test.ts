/**
 * Table pipelines through the compiled binary (local store files): `| stats` with every
 * function, `by` fields and `bin()`, and the table stages, printed as an aligned table, CSV and
 * JSON lines, each compared with the answer computed here from the imported lines; bad stages
 * and `--output csv` on records are usage errors.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary } from "./support/binary.ts";

let dir = "";
let data = "";
const T0 = Date.UTC(2025, 2, 1, 10, 0, 0);
const N = 500;
const LEVELS = ["INFO", "ERROR", "WARN"];

interface Line {
  t: number;
  level: string;
  host: string;
  ms: number;
}

const LINES: Line[] = Array.from({ length: N }, (_, i) => ({ t: T0 + i * 3000, level: LEVELS[(i * 7) % 3]!, host: `web-${(i * 5) % 4}`, ms: (i * 37) % 1000 }));
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aggs-"));
  data = join(dir, "data");
  writeFileSync(join(dir, "app.log"), LINES.map((l) => `${iso(l.t)} ${l.level} request host=${l.host} ms=${l.ms}`).join("\n") + "\n");
  const r = await runBinary(["import", "--data", data, "--quiet", join(dir, "app.log")]);
  expect(r).toMatchObject({ code: 0, stderr: "" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = (...args: string[]) => runBinary(["query", "--data", data, ...args]);

function byHost(lines: Line[]): Map<string, Line[]> {
  const m = new Map<string, Line[]>();
  for (const l of [...lines].sort((a, b) => (a.host < b.host ? -1 : 1))) m.set(l.host, [...(m.get(l.host) ?? []), l]);
  return m;
}

describe("query | stats through the binary", () => {
  test("JSON lines: one object per group, numbers as numbers, times RFC 3339", async () => {
    const r = await query("--output", "json", "ERROR | stats count(), count_distinct(ms), min(_time), max(_time) as last, sum(ms), avg(ms) by host");
    expect(r.stderr).toBe("");
    const want = [...byHost(LINES.filter((l) => l.level === "ERROR"))].map(([host, g]) => ({
      host,
      count: g.length,
      count_distinct_ms: new Set(g.map((l) => l.ms)).size,
      min__time: new Date(Math.min(...g.map((l) => l.t))).toISOString().replace("Z", "000Z"),
      last: new Date(Math.max(...g.map((l) => l.t))).toISOString().replace("Z", "000Z"),
      sum_ms: g.reduce((s, l) => s + l.ms, 0),
      avg_ms: g.reduce((s, l) => s + l.ms, 0) / g.length,
    }));
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual(want);
  });

  test("aligned table and CSV for bin(5m), with quantile", async () => {
    const buckets = new Map<number, number[]>();
    for (const l of LINES) {
      const b = Math.floor(l.t / 300_000) * 300_000;
      buckets.set(b, [...(buckets.get(b) ?? []), l.ms]);
    }
    const q = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const at = 0.5 * (s.length - 1);
      const lo = Math.floor(at);
      return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
    };
    const rows = [...buckets].map(([b, xs]) => [iso(b).replace("Z", ".000000Z"), String(xs.length), String(q(xs))]);
    const csv = await query("--output", "csv", "* | stats count(), quantile(0.5, ms) as p50 by bin(5m)");
    expect(csv).toEqual({ code: 0, stderr: "", stdout: ["_time,count,p50", ...rows.map((r) => r.join(","))].join("\n") + "\n" });
    const text = await query("| stats count(), quantile(0.5, ms) as p50 by bin(5m)");
    const w = [Math.max(5, ...rows.map((r) => r[0]!.length)), Math.max(5, ...rows.map((r) => r[1]!.length)), Math.max(3, ...rows.map((r) => r[2]!.length))];
    const line = (c: string[]) => `${c[0]!.padEnd(w[0]!)}  ${c[1]!.padStart(w[1]!)}  ${c[2]!.padStart(w[2]!)}\n`;
    expect(text).toEqual({ code: 0, stderr: "", stdout: line(["_time", "count", "p50"]) + rows.map(line).join("") });
  });

  test("table stages after stats; limit= cuts the table and says so", async () => {
    const counts = [...byHost(LINES)].map(([h, g]) => ({ h, n: g.length })).sort((a, b) => b.n - a.n || (a.h < b.h ? -1 : 1));
    const r = await query("--output", "json", "| stats count() by host | sort -count | head 2 | rename count as n, host as h");
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual(counts.slice(0, 2));
    const cut = await query("--output", "csv", "limit=1 | stats count() by host");
    expect(cut).toEqual({ code: 0, stdout: `host,count\n${[...byHost(LINES)][0]![0]},${[...byHost(LINES)][0]![1].length}\n`, stderr: "--- table truncated: limit=1 reached\n" });
  });

  test("bad stages and csv on records are clear errors", async () => {
    const bad = await query("| stats avg()");
    expect({ code: bad.code, err: bad.stderr }).toEqual({ code: 2, err: expect.stringContaining("parse error at position 12: expected a field name for avg(), got ')'") });
    const csv = await query("--output", "csv", "ERROR");
    expect({ code: csv.code, err: csv.stderr }).toEqual({ code: 2, err: expect.stringContaining("--output csv is for table results") });
    const raw = await query("--raw", "| stats count()");
    expect({ code: raw.code, err: raw.stderr }).toEqual({ code: 2, err: expect.stringContaining("--raw is for records") });
    const sort = await query("| sort host");
    expect({ code: sort.code, err: sort.stderr }).toEqual({ code: 2, err: expect.stringContaining("sort works on a table") });
  });
});
