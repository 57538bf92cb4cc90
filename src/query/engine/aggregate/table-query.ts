/**
 * A table query (`FILTER | ... | stats ... | ...`): each store's matching batches go through
 * the record stages before the first table-making stage (where, head), then into it — stats
 * and timechart fill one partial per chunk and merge it into the query's result (stores merged
 * the same way), fields turns each record into a row — and the table stages after it (where,
 * sort, head, fields, rename) shape the result. `limit=` caps the rows returned.
 */

import { LogError } from "../../../core/errors.ts";
import { makesTable, type PipeStage, type StatsStage } from "../../lang/pipe-ast.ts";
import { Pacer } from "../pacer.ts";
import type { RowBatch } from "../pipeline/types.ts";
import { through } from "../pipeline/types.ts";
import { matchingBatches, type SearchOptions } from "../search.ts";
import type { SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import { FieldReader } from "./fields.ts";
import { recordStage, type HeadBudget } from "./record-stages.ts";
import { StatsState } from "./stats.ts";
import { countStore, countsOnly } from "./fast-count.ts";
import { applyTableStage } from "./table-stages.ts";
import type { Cell, Column, Table, TableDone } from "../../../core/table.ts";
import { timechartPlan, fillBuckets } from "./timechart.ts";

export interface TableQueryOptions extends SearchOptions {
  /** Most stats groups (default stats.ts DEFAULT_MAX_GROUPS). */
  maxGroups?: number;
  /** Most rows a `fields` table collects before it is cut (truncated). */
  maxRows?: number;
}

/** Rows a `fields` table collects by default. */
export const DEFAULT_MAX_ROWS = 100_000;

/** Runs a table pipeline over `sources` (one or several stores). */
export async function tableQuery(sources: readonly SearchSource[], req: SearchRequest, stages: readonly PipeStage[], opts: TableQueryOptions = {}): Promise<{ table: Table; done: TableDone }> {
  const at = stages.findIndex(makesTable);
  if (at < 0) throw new LogError("invalid_argument", "this query returns records, not a table (add | stats, | timechart or | fields)");
  const maker = stages[at]!;
  const pacer = new Pacer(opts.signal);
  const warnings: string[] = [];
  const sopts: SearchOptions = { ...opts, onWarning: (w) => (warnings.push(w), opts.onWarning?.(w)) };
  const heads = new Map<PipeStage, HeadBudget>();
  const batchesOf = (src: SearchSource): AsyncIterable<RowBatch> => {
    const before = stages.slice(0, at).map((s) => {
      if (s.kind === "head" && !heads.has(s)) heads.set(s, { left: s.n });
      return recordStage(s, pacer, heads.get(s));
    });
    return through(matchingBatches(src, req, sopts, pacer).batches, before);
  };
  const done: TableDone = { warnings };
  // Stats without record stages before it: counts may come from indexes and block summaries.
  const statsOf = (stage: StatsStage, o: { binOrigin?: number; maxGroups?: number }) =>
    at === 0 && countsOnly(stage) ? countTable(sources, req, stage, o, pacer, sopts) : statsTable(sources, batchesOf, stage, o);
  let table: Table;
  if (maker.kind === "fields") {
    table = await fieldsTable(sources, batchesOf, maker.names, opts.maxRows ?? DEFAULT_MAX_ROWS, done);
  } else if (maker.kind === "timechart") {
    const plan = timechartPlan(sources, req, maker);
    table = fillBuckets(await statsOf(plan.stats, { binOrigin: plan.start, maxGroups: opts.maxGroups }), plan);
  } else {
    table = await statsOf(maker as StatsStage, { maxGroups: opts.maxGroups });
  }
  for (const s of stages.slice(at + 1)) table = applyTableStage(table, s);
  if (req.limit > 0 && table.rows.length > req.limit) {
    table = { columns: table.columns, rows: table.rows.slice(0, req.limit) };
    done.truncated = `limit=${req.limit} reached`;
  }
  return { table, done };
}

type BatchesOf = (src: SearchSource) => AsyncIterable<RowBatch>;

/** Stats over every store: one partial per chunk, merged in. */
async function statsTable(sources: readonly SearchSource[], batchesOf: BatchesOf, stage: StatsStage, o: { binOrigin?: number; maxGroups?: number }): Promise<Table> {
  const total = new StatsState(stage, o);
  for (const src of sources) {
    let part = total.fresh();
    let chunk = -1;
    for await (const rb of batchesOf(src)) {
      if (rb.chunkIndex !== chunk) {
        total.merge(part);
        part = total.fresh();
        chunk = rb.chunkIndex;
      }
      part.addRows(rb);
    }
    total.merge(part);
  }
  return total.table();
}

/** count() [by bin()] over every store, counted without reading records where the indexes allow (fast-count.ts). */
async function countTable(sources: readonly SearchSource[], req: SearchRequest, stage: StatsStage, o: { binOrigin?: number; maxGroups?: number }, pacer: Pacer, opts: SearchOptions): Promise<Table> {
  const total = new StatsState(stage, o);
  for (const src of sources) await countStore(src, req, total, pacer, opts);
  return total.table();
}

/** One row per record with the named fields, in store order, cut at `maxRows`. */
async function fieldsTable(sources: readonly SearchSource[], batchesOf: BatchesOf, names: readonly string[], maxRows: number, done: TableDone): Promise<Table> {
  const readers = names.map((n) => new FieldReader(n));
  const columns: Column[] = readers.map((r) => ({ name: r.name, type: r.isTime ? "time" : "string" }));
  const rows: Cell[][] = [];
  for (const src of sources) {
    for await (const rb of batchesOf(src)) {
      for (const i of rb.rows) {
        if (rows.length >= maxRows) {
          done.truncated = `more than ${maxRows} rows; narrow the query or add | head N`;
          return { columns, rows };
        }
        rows.push(readers.map((r) => r.read(rb.batch, i) ?? null));
      }
    }
  }
  return { columns, rows };
}
