/**
 * `timechart N [by f]`: record counts in N equal buckets over the query range — the query's
 * start/end where given, else the event-time range of the stores' chunks — as `stats count()
 * by bin(width)[, f]` with buckets starting at the range start, every bucket present (0 when
 * empty; with `by`, for every value seen).
 */

import type { StatsStage, TimechartStage } from "../../lang/pipe-ast.ts";
import type { SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import { compareCells } from "./stats.ts";
import type { Cell, Table } from "../../../core/table.ts";

export interface TimechartPlan {
  start: number;
  width: number;
  buckets: number;
  by: boolean;
  stats: StatsStage;
}

/** The buckets of a timechart over `sources` for `req`'s time range. */
export function timechartPlan(sources: readonly SearchSource[], req: SearchRequest, s: TimechartStage): TimechartPlan {
  let lo = Infinity;
  let hi = -Infinity;
  for (const src of sources) {
    for (const c of src.store.chunks()) {
      if (c.records === 0) continue;
      lo = Math.min(lo, c.eventTs.min);
      hi = Math.max(hi, c.eventTs.max + 1);
    }
  }
  const start = req.start ?? (lo === Infinity ? 0 : lo);
  const end = req.end ?? (hi === -Infinity ? start + 1 : Math.max(hi, start + 1));
  const width = Math.max(1, Math.ceil((end - start) / s.buckets));
  const by = s.by === undefined ? [] : [{ kind: "field" as const, name: s.by }];
  return { start, width, buckets: s.buckets, by: s.by !== undefined, stats: { kind: "stats", aggs: [{ fn: "count" }], by: [{ kind: "bin", width, time: "_time" }, ...by] } };
}

/** The stats table with a zero row for every empty bucket (per `by` value), ordered by time. */
export function fillBuckets(t: Table, p: TimechartPlan): Table {
  const have = new Map<string, Cell[]>();
  const values = new Set<Cell>();
  for (const row of t.rows) {
    have.set(JSON.stringify(row.slice(0, -1)), row);
    if (p.by) values.add(row[1]!);
  }
  if (!p.by) values.add(null);
  const rows: Cell[][] = [];
  const sorted = [...values].sort(compareCells);
  for (let k = 0; k < p.buckets; k++) {
    const time = p.start + k * p.width;
    for (const v of sorted) {
      const key = p.by ? [time, v] : [time];
      rows.push(have.get(JSON.stringify(key)) ?? [...key, 0]);
    }
  }
  return { columns: t.columns, rows };
}
