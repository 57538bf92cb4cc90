/**
 * Table results (Aggregate responses) as text: an aligned table (numbers right-aligned, times
 * RFC 3339), CSV (RFC 4180) or JSON (one object per row, numbers as JSON numbers), plus a small
 * text histogram for time buckets. Pure: data in, text out; the CLI and the REPL print these
 * (table-pb.ts reads the table from Aggregate responses).
 */

import { formatRfc3339Micros } from "../../core/time.ts";
import type { Cell, Column, Table } from "../../core/table.ts";

/** A table read back from a stream, with the server's warnings and truncation note. */
export interface TableResult extends Table {
  truncated: string;
  warnings: string[];
}

/** A cell as text: times RFC 3339, numbers as JavaScript prints them, null empty. */
export function cellText(c: Cell, type: Column["type"]): string {
  if (c === null) return "";
  if (type === "time" && typeof c === "number") return formatRfc3339Micros(c);
  return String(c);
}

/** Aligned columns two spaces apart, header first; numbers right-aligned. */
export function tableText(t: Table, extra?: { header: string; cells: string[] }): string {
  const header = t.columns.map((c) => c.name);
  const rows = t.rows.map((r) => r.map((c, i) => cellText(c, t.columns[i]!.type)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], tail: string) =>
    (cells.map((c, i) => (t.columns[i]!.type === "number" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ") + (extra ? `  ${tail}` : "")).trimEnd() + "\n";
  return line(header, extra?.header ?? "") + rows.map((r, k) => line(r, extra?.cells[k] ?? "")).join("");
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header line (CRLF-free: lines end with \n). */
export function tableCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvField(c.name)).join(",")];
  for (const r of t.rows) lines.push(r.map((c, i) => csvField(cellText(c, t.columns[i]!.type))).join(","));
  return lines.join("\n") + "\n";
}

/** One JSON object per row (column names as keys, numbers as numbers, times RFC 3339, null as null). */
export function tableJsonLines(t: Table): string {
  return t.rows
    .map((r) => {
      const o: Record<string, Cell> = {};
      r.forEach((c, i) => (o[t.columns[i]!.name] = c === null || t.columns[i]!.type !== "time" ? c : cellText(c, "time")));
      return JSON.stringify(o) + "\n";
    })
    .join("");
}

/** Widest histogram bar, in characters. */
const BAR_WIDTH = 40;

/**
 * Bars for a time-bucket table (`by bin()` or timechart without `by`: a leading `_time` time
 * column and no other group column), scaled to the largest value of its first number column;
 * undefined for other tables.
 */
export function histogramBars(t: Table): { header: string; cells: string[] } | undefined {
  if (t.columns[0]?.type !== "time" || t.columns[0].name !== "_time") return undefined;
  const at = t.columns.findIndex((c) => c.type === "number");
  if (at !== 1) return undefined;
  const values = t.rows.map((r) => (typeof r[at] === "number" ? (r[at] as number) : 0));
  const top = Math.max(0, ...values);
  return { header: "", cells: values.map((v) => (top > 0 && v > 0 ? "█".repeat(Math.max(1, Math.round((v / top) * BAR_WIDTH))) : "")) };
}
