/**
 * Table queries against a naive oracle: every aggregation, grouping and table stage computed
 * record by record over the same generated records must equal what the engine returns (with
 * chunks sealed small, so per-chunk partials are merged, and over two stores).
 */

import { describe, expect, test } from "bun:test";
import { createMemoryStore } from "../../../storage/memory/memory-store.ts";
import { parseQueryArgs } from "../../lang/controls.ts";
import type { SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import { tableQuery } from "./table-query.ts";
import type { Cell } from "../../../core/table.ts";

const enc = new TextEncoder();
const M = 60_000_000;
const T0 = 1_700_000_000_000_000;

interface Rec {
  host: string;
  level: string;
  ms: number;
  user: string;
  t: number;
}

function recs(n: number, seed: number): Rec[] {
  let x = seed;
  const rnd = (k: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % k);
  return Array.from({ length: n }, (_, i) => ({ host: `web${rnd(4)}`, level: ["info", "warn", "error"][rnd(3)]!, ms: rnd(1000), user: `u${rnd(50)}`, t: T0 + i * 7_000_000 + rnd(3_000_000) }));
}

async function source(name: string, rs: Rec[]): Promise<SearchSource> {
  const store = createMemoryStore(name, { rotation: { maxRecords: 97 } });
  await store.append(rs.map((r) => ({ raw: enc.encode(`${r.level} request level=${r.level} ms=${r.ms} user=${r.user}`), attrs: { host: r.host }, sourceTs: r.t, ingestTs: r.t + 5 })));
  return { name, store, indexes: () => undefined };
}

const req = (q: string): { r: SearchRequest; stages: ReturnType<typeof parseQueryArgs>["stages"] } => {
  const a = parseQueryArgs(q, T0);
  return { r: { expr: a.expr, start: a.start, end: a.end, limit: a.limit, reverse: false, contextBefore: 0, contextAfter: 0 }, stages: a.stages };
};

function quantile(xs: number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

/** The oracle: groups by key, then computes each column naively. */
function naive(rs: Rec[], key: (r: Rec) => Cell[]): Cell[][] {
  const groups = new Map<string, Rec[]>();
  for (const r of rs) {
    const k = JSON.stringify(key(r));
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([k, g]) => [...(JSON.parse(k) as Cell[]), g.length, new Set(g.map((r) => r.user)).size, Math.min(...g.map((r) => r.t)), Math.max(...g.map((r) => r.t)), g.reduce((s, r) => s + r.ms, 0), g.reduce((s, r) => s + r.ms, 0) / g.length, quantile(g.map((r) => r.ms), 0.9)])
    .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
}

function naiveAvg(rs: Rec[], host: string, level: string): number {
  const g = rs.filter((r) => r.host === host && r.level === level);
  return g.reduce((s, r) => s + r.ms, 0) / g.length;
}

const AGGS = "count(), count_distinct(user), min(_time), max(_time), sum(ms), avg(ms), quantile(0.9, ms)";

describe("table queries", () => {
  test("stats over every function, by field and by bin, matches the oracle across chunks and stores", async () => {
    const a = recs(1000, 1);
    const b = recs(700, 2);
    const sources = [await source("a", a), await source("b", b)];
    const all = [...a, ...b];
    const run = async (q: string) => {
      const { r, stages } = req(q);
      return (await tableQuery(sources, r, stages)).table;
    };
    const byHost = await run(`* | stats ${AGGS} by host`);
    expect(byHost.columns).toEqual([
      { name: "host", type: "string" },
      { name: "count", type: "number" },
      { name: "count_distinct_user", type: "number" },
      { name: "min__time", type: "time" },
      { name: "max__time", type: "time" },
      { name: "sum_ms", type: "number" },
      { name: "avg_ms", type: "number" },
      { name: "quantile_ms", type: "number" },
    ]);
    expect(byHost.rows).toEqual(naive(all, (r) => [r.host]));
    const errors = await run(`error | stats ${AGGS} by bin(5m)`);
    expect(errors.columns[0]).toEqual({ name: "_time", type: "time" });
    expect(errors.rows).toEqual(naive(all.filter((r) => r.level === "error"), (r) => [Math.floor(r.t / (5 * M)) * 5 * M]).sort((x, y) => (x[0] as number) - (y[0] as number)));
    expect((await run("| stats count() as n, count(nope)")).rows).toEqual([[all.length, 0]]);
    expect((await run("nothing_matches | stats count(), avg(ms)")).rows).toEqual([[0, null]]);
  });

  test("where, sort, head, fields and rename shape the table; timechart fills every bucket", async () => {
    const a = recs(300, 3);
    const sources = [await source("a", a)];
    const run = async (q: string) => {
      const { r, stages } = req(q);
      return (await tableQuery(sources, r, stages)).table;
    };
    const counts = naive(a, (r) => [r.host, r.level]).map((row) => row.slice(0, 3));
    const top = counts.filter((r) => r[1] !== "info").sort((x, y) => (y[2] as number) - (x[2] as number) || (String(x[0]) < String(y[0]) ? -1 : 1)).slice(0, 3);
    const t = await run("| stats count() by host, level | where NOT level=info | sort -count, host | head 3 | fields level, count, host | rename count as n");
    expect(t).toEqual({ columns: [{ name: "level", type: "string" }, { name: "n", type: "number" }, { name: "host", type: "string" }], rows: top.map((r) => [r[1]!, r[2]!, r[0]!]) });
    const busy = await run("| stats count(), avg(ms) by host, level | where count>=25 AND level!=info AND host=web* | sort host, level");
    const busyWant = naive(a, (r) => [r.host, r.level]).filter((r) => (r[2] as number) >= 25 && r[1] !== "info" && String(r[0]).startsWith("web"));
    expect(busy.rows).toEqual(busyWant.map((r) => [r[0]!, r[1]!, r[2]!, naiveAvg(a, r[0] as string, r[1] as string)]));
    expect(busy.rows.length).toBeGreaterThan(0);
    const f = await run("error | where host=web1 | head 4 | fields _time, host, ms");
    expect(f.rows).toEqual(a.filter((r) => r.level === "error" && r.host === "web1").slice(0, 4).map((r) => [r.t, r.host, String(r.ms)]));
    const start = Math.floor(a[0]!.t / 1000) * 1000 + 1000; // the ISO text below has millisecond precision
    const end = Math.max(...a.map((r) => r.t)) + 1;
    const width = Math.ceil((end - start) / 10);
    const tc = await run(`* start=${new Date(start / 1000).toISOString()} | timechart 10 by level`);
    const want: Cell[][] = [];
    for (let k = 0; k < 10; k++) {
      for (const level of ["error", "info", "warn"]) want.push([start + k * width, level, a.filter((r) => r.level === level && r.t >= start && Math.floor((r.t - start) / width) === k).length]);
    }
    expect(tc).toEqual({ columns: [{ name: "_time", type: "time" }, { name: "level", type: "string" }, { name: "count", type: "number" }], rows: want });
  });

  test("a stage that needs a table before one exists, and an unknown column, are clear errors", async () => {
    const sources = [await source("a", recs(10, 4))];
    const fail = async (q: string) => {
      const { r, stages } = req(q);
      return tableQuery(sources, r, stages).then(() => "ok", (e: Error) => e.message);
    };
    expect(await fail("| sort host | stats count()")).toBe("sort works on a table: put it after stats, timechart or fields (as in | fields host, _time | sort ...)");
    expect(await fail("| stats count() by host | sort nope")).toBe("sort: no column 'nope' (columns: host, count)");
  });
});
