/**
 * Engine tables <-> proto AggregateResponse pieces: typed columns, and cells as text, number or
 * time (int64 µs), null as a cell with no value. Clients read responses back with
 * repl/render/table-pb.ts fromTablePb.
 */

import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Cell, Column } from "../../core/table.ts";
import { type CellSchema, ColumnType } from "../gen/gastrolog/v1/query_pb.ts";
import { i64 } from "./int64.ts";

const TO_PB: Record<Column["type"], ColumnType> = { string: ColumnType.STRING, number: ColumnType.NUMBER, time: ColumnType.TIME };

export function toColumnPb(c: Column): { name: string; type: ColumnType } {
  return { name: c.name, type: TO_PB[c.type] };
}

export function toCellPb(c: Cell, type: Column["type"]): MessageInitShape<typeof CellSchema> {
  if (c === null) return {};
  if (type === "time" && typeof c === "number") return { value: { case: "timeUs", value: i64(c) } };
  return typeof c === "number" ? { value: { case: "number", value: c } } : { value: { case: "text", value: c } };
}
