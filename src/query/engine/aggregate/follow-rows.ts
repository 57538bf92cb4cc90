/**
 * Follow with `| fields a, b [| rename a as x]`: each arriving record becomes a row of the
 * named fields (fields.ts), under the renamed column names. follow.ts has already checked the
 * stages' order; this only shapes the rows.
 */

import type { LogRecord } from "../../../core/record.ts";
import type { Cell, Column } from "../../../core/table.ts";
import { batchFromRecords } from "../../../storage/record-batch.ts";
import type { PipeStage } from "../../lang/pipe-ast.ts";
import { FieldReader } from "./fields.ts";

export interface FollowRows {
  columns: Column[];
  row(record: LogRecord): Cell[];
}

/** The row shape of a follow's stages, or undefined when it streams records (no `| fields`). */
export function followRows(stages: readonly PipeStage[]): FollowRows | undefined {
  const fields = stages.find((s) => s.kind === "fields");
  if (fields === undefined) return undefined;
  const readers = fields.names.map((n) => new FieldReader(n));
  const columns: Column[] = readers.map((r) => ({ name: r.name, type: r.isTime ? "time" : "string" }));
  for (const s of stages) {
    if (s.kind !== "rename") continue;
    for (const p of s.pairs) {
      const c = columns.find((x) => x.name === p.from);
      if (c) c.name = p.to;
    }
  }
  return {
    columns,
    row(record) {
      const batch = batchFromRecords(0, [record]);
      return readers.map((r) => r.read(batch, 0) ?? null);
    },
  };
}
