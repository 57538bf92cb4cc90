/**
 * The pipe stages after `|` (README "Pipelines"): pure data, printed back by pipe-printer.ts.
 * Table-producing stages (stats, timechart, fields) turn records into rows; where and head
 * also work on records; sort and rename need a table. Times are epoch µs, durations µs.
 */

import type { Expr } from "./ast.ts";

/** The aggregation functions `stats` knows (one engine file each, query/engine/aggregate/functions). */
export type AggName = "count" | "count_distinct" | "min" | "max" | "sum" | "avg" | "quantile";

export interface AggSpec {
  fn: AggName;
  /** The field aggregated; absent for `count()`. */
  field?: string;
  /** quantile's q in [0, 1]. */
  q?: number;
  /** `as NAME`; the column is named after the function otherwise (aggColumn). */
  alias?: string;
}

/** Which timestamp `bin()` buckets: event time (source, else ingest) unless named. */
export type TimeField = "_time" | "write_ts" | "ingest_ts" | "source_ts";

export type GroupSpec = { kind: "field"; name: string } | { kind: "bin"; width: number; time: TimeField };

export interface StatsStage {
  kind: "stats";
  aggs: AggSpec[];
  by: GroupSpec[];
}

/** `timechart N [by f]`: record counts in N equal buckets over the query range. */
export interface TimechartStage {
  kind: "timechart";
  buckets: number;
  by?: string;
}

export interface WhereStage {
  kind: "where";
  expr: Expr;
}

export interface SortStage {
  kind: "sort";
  keys: { field: string; desc: boolean }[];
}

export interface HeadStage {
  kind: "head";
  n: number;
}

export interface FieldsStage {
  kind: "fields";
  names: string[];
}

export interface RenameStage {
  kind: "rename";
  pairs: { from: string; to: string }[];
}

export type PipeStage = StatsStage | TimechartStage | WhereStage | SortStage | HeadStage | FieldsStage | RenameStage;

/** Stages that make a table out of records. */
export function makesTable(s: PipeStage): boolean {
  return s.kind === "stats" || s.kind === "timechart" || s.kind === "fields";
}

/** True when the pipeline answers with a table (columns and rows) instead of records. */
export function isTablePipeline(stages: readonly PipeStage[]): boolean {
  return stages.some(makesTable);
}

/** Stages that need every input before they emit (follow rejects them). */
export function materializes(s: PipeStage): boolean {
  return s.kind === "stats" || s.kind === "timechart" || s.kind === "sort";
}

/**
 * How a stage runs (explain): `streaming` passes rows on as they come, `materializing` needs
 * all of its input first, `short-circuit` stops the scan once satisfied.
 */
export function executionClass(s: PipeStage): "streaming" | "materializing" | "short-circuit" {
  if (s.kind === "head") return "short-circuit";
  return materializes(s) ? "materializing" : "streaming";
}

/** The column an aggregation fills: its alias, `count`, or `<fn>_<field>`. */
export function aggColumn(a: AggSpec): string {
  if (a.alias !== undefined) return a.alias;
  return a.field === undefined ? a.fn : `${a.fn}_${a.field}`;
}
