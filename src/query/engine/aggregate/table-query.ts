/**
 * A table query (`FILTER | ... | stats ... | ...`): each store's matching batches go through
 * the record stages before the first table-making stage (where, head), then into it — stats
 * and timechart fill one partial per chunk (partials.ts; in worker threads when it pays,
 * parallel-stats.ts) and merge it into the query's result (stores merged the same way), fields
 * turns each record into a row — and the table stages after it (where, sort, head, fields,
 * rename) shape the result. `limit=` caps the rows returned.
 */

import { LogError } from "../../../core/errors.ts";
import { makesTable, type PipeStage, type StatsStage } from "../../lang/pipe-ast.ts";
import { Pacer } from "../pacer.ts";
import type { RowBatch } from "../pipeline/types.ts";
import type { SearchOptions } from "../search.ts";
import type { SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import { FieldReader } from "./fields.ts";
import type { HeadBudget } from "./record-stages.ts";
import { StatsState } from "./stats.ts";
import { fillStats, stagedBatches } from "./partials.ts";
import { parallelStats, runsInWorkers, type ParallelMode } from "./parallel-stats.ts";
import { applyTableStage } from "./table-stages.ts";
import type { Cell, Table, TableDone } from "../../../core/table.ts";
import { timechartPlan, fillBuckets } from "./timechart.ts";

export interface TableQueryOptions extends SearchOptions {
  /** Most stats groups (default stats.ts DEFAULT_MAX_GROUPS). */
  maxGroups?: number;
  /** Most rows a `fields` table collects before it is cut (truncated). */
  maxRows?: number;
  /** Whether stats run per chunk in the stores' worker threads (default: when it pays). */
  parallel?: ParallelMode;
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
  const before = stages.slice(0, at);
  const batchesOf = (src: SearchSource): AsyncIterable<RowBatch> => stagedBatches(src, req, before, pacer, sopts, heads);
  const done: TableDone = { warnings };
  let table: Table;
  if (maker.kind === "fields") {
    const readers = maker.names.map((n) => new FieldReader(n));
    const rows: Cell[][] = [];
    await untilDeadline(() => fieldsRows(sources, batchesOf, readers, opts.maxRows ?? DEFAULT_MAX_ROWS, rows, done), done);
    table = { columns: readers.map((r) => ({ name: r.name, type: r.isTime ? "time" : "string" })), rows };
  } else {
    const plan = maker.kind === "timechart" ? timechartPlan(sources, req, maker) : undefined;
    const stage = plan?.stats ?? (maker as StatsStage);
    const stats = { binOrigin: plan?.start, maxGroups: opts.maxGroups };
    const total = new StatsState(stage, stats);
    await untilDeadline(async () => {
      for (const src of sources) {
        if (runsInWorkers(src, req, before, stage, opts.parallel)) await parallelStats(src, req, before, total, stats, pacer, sopts);
        else await fillStats(src, req, before, total, pacer, sopts, heads);
      }
    }, done);
    table = plan ? fillBuckets(total.table(), plan) : total.table();
  }
  for (const s of stages.slice(at + 1)) table = applyTableStage(table, s);
  if (req.limit > 0 && table.rows.length > req.limit) {
    table = { columns: table.columns, rows: table.rows.slice(0, req.limit) };
    done.truncated = `limit=${req.limit} reached`;
  }
  return { table, done };
}

/**
 * Runs `fill`; a query stopped by its time limit keeps what it computed so far, with the
 * reason in `done.deadline` (the API sends the partial table, then DEADLINE_EXCEEDED).
 */
async function untilDeadline(fill: () => Promise<void>, done: TableDone): Promise<void> {
  try {
    await fill();
  } catch (err) {
    if (!(err instanceof LogError) || err.code !== "deadline_exceeded") throw err;
    done.deadline = err.message;
  }
}

type BatchesOf = (src: SearchSource) => AsyncIterable<RowBatch>;

/** One row per record with the named fields into `rows`, in store order, cut at `maxRows`. */
async function fieldsRows(sources: readonly SearchSource[], batchesOf: BatchesOf, readers: readonly FieldReader[], maxRows: number, rows: Cell[][], done: TableDone): Promise<void> {
  for (const src of sources) {
    for await (const rb of batchesOf(src)) {
      for (const i of rb.rows) {
        if (rows.length >= maxRows) {
          done.truncated = `more than ${maxRows} rows; narrow the query or add | head N`;
          return;
        }
        rows.push(readers.map((r) => r.read(rb.batch, i) ?? null));
      }
    }
  }
}
