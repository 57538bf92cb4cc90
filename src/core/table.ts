/**
 * The shape of a table result (stats, timechart, fields): typed columns and rows of cells, a
 * domain type shared by the engine, the API conversion and the renderers (CLI, REPL).
 * Times are epoch µs in "time" columns (the API and renderers print them as RFC 3339); a
 * missing value is null.
 */

export type ColumnType = "string" | "number" | "time";

export interface Column {
  name: string;
  type: ColumnType;
}

export type Cell = string | number | null;

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

/** How a table query ended. */
export interface TableDone {
  /** Chunks that could not be read (corrupt data); the query went on without them. */
  warnings: string[];
  /** Set when a row limit cut the table (the rows are the first ones). */
  truncated?: string;
  /** Set when the query's time limit stopped it: the table holds what was counted until then. */
  deadline?: string;
}
