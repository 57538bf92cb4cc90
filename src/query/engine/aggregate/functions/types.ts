/**
 * An aggregation function of `stats` (one file each in this folder, listed in registry.ts):
 * an accumulator per group and per chunk, fed values of one field, merged with the partial
 * of another chunk or store, and read once at the end. Must not depend on input order.
 */

import type { AggSpec } from "../../../lang/pipe-ast.ts";
import type { FieldValue } from "../fields.ts";
import type { Cell, ColumnType } from "../../../../core/table.ts";

export interface Accumulator {
  /** One record's value of the field (undefined: the record has none; always so for count()). */
  add(value: FieldValue): void;
  /** `n` records at once, none read (counts from indexes and block summaries); count() only. */
  addRecords?(n: number): void;
  /**
   * Folds in another accumulator of the same function and spec. Reads only the other's data
   * fields, so a structured clone of one (a partial sent by a worker thread) merges the same.
   */
  merge(other: Accumulator): void;
  result(): Cell;
}

export interface AggFunction {
  name: AggSpec["fn"];
  /** The result column's type; `time` tells whether the field holds timestamps. */
  columnType(time: boolean): ColumnType;
  create(spec: AggSpec): Accumulator;
}
