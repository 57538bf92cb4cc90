/**
 * A table read back from Aggregate (or Follow with `| fields`) responses: typed columns from the
 * first message, rows from all, cells as text, number, time (µs) or null. Kept apart from
 * table.ts so printing a table loads no generated API (`gastrolog query` without a server).
 */

import type { Cell, Column } from "../../core/table.ts";
import { type AggregateResponse, ColumnType, type Row } from "../../api/gen/gastrolog/v1/query_pb.ts";
import type { TableResult } from "./table.ts";

function fromCell(c: Row["cells"][number]): Cell {
  switch (c.value.case) {
    case "text":
    case "number":
      return c.value.value;
    case "timeUs":
      return Number(c.value.value);
    default:
      return null;
  }
}

const TYPES: Record<number, Column["type"]> = { [ColumnType.TIME]: "time", [ColumnType.NUMBER]: "number" };

/** Messages carrying table pieces: Aggregate's, and Follow's with `| fields`. */
type TablePieces = Pick<AggregateResponse, "columns" | "rows" | "warnings"> & { truncated?: string };

/** The table streamed in `responses` (columns from the first, rows from all). */
export function fromTablePb(responses: readonly TablePieces[]): TableResult {
  const columns: Column[] = (responses[0]?.columns ?? []).map((c) => ({ name: c.name, type: TYPES[c.type] ?? "string" }));
  const rows = responses.flatMap((r) => r.rows.map((row) => row.cells.map(fromCell)));
  return { columns, rows, truncated: responses.at(-1)?.truncated ?? "", warnings: responses.flatMap((r) => r.warnings) };
}
