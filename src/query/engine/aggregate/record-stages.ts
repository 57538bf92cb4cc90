/**
 * The stages that run on records before a table is made (and in searches and follows):
 * `where` keeps the rows matching its filter (the filter stage's row check, so the two agree)
 * and `head` passes the first N rows of the whole query, then stops the scan. Other stages
 * need a table first and are refused with a message saying so.
 */

import { LogError } from "../../../core/errors.ts";
import type { PipeStage } from "../../lang/pipe-ast.ts";
import { compileFilter } from "../compile.ts";
import type { Pacer } from "../pacer.ts";
import { keepRows } from "../pipeline/filter.ts";
import type { RowBatch, Stage } from "../pipeline/types.ts";

/** Rows left for a head shared by every store of a query. */
export interface HeadBudget {
  left: number;
}

/** The record stage for `s`; `head`: the budget of a head stage, shared by every store of the query. */
export function recordStage(s: PipeStage, pacer: Pacer, head?: HeadBudget): Stage<RowBatch, RowBatch> {
  switch (s.kind) {
    case "where": {
      const filter = compileFilter(s.expr);
      return async function* (input) {
        for await (const rb of input) {
          const rows = await keepRows(filter, {}, rb.batch, rb.rows, pacer);
          if (rows.length > 0) yield { ...rb, rows, verified: false };
        }
      };
    }
    case "head": {
      const budget = head ?? { left: s.n };
      return async function* (input) {
        if (budget.left <= 0) return;
        for await (const rb of input) {
          const rows = rb.rows.length > budget.left ? rb.rows.subarray(0, budget.left) : rb.rows;
          budget.left -= rows.length;
          yield { ...rb, rows };
          if (budget.left <= 0) return;
        }
      };
    }
    default:
      throw new LogError("invalid_argument", `${s.kind} works on a table: put it after stats, timechart or fields (as in | fields host, _time | ${s.kind} ...)`);
  }
}
