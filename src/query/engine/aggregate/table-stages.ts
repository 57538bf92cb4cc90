/**
 * The stages that work on a table (after stats, timechart or fields): where, sort, head,
 * fields and rename. `where` reads its filter over a row: `col=value` compares a column
 * (name and value ASCII-case-insensitive, numbers by value), `col=*` needs a value, `*=value`
 * any column, a word any cell containing it as a token; other filter kinds are refused.
 */

import { asciiLower } from "../../../core/ascii.ts";
import { LogError } from "../../../core/errors.ts";
import type { Expr } from "../../lang/ast.ts";
import type { PipeStage } from "../../lang/pipe-ast.ts";
import { describeExpr } from "../../lang/printer.ts";
import { compareCells } from "./stats.ts";
import type { Cell, Table } from "../../../core/table.ts";

/** Applies a table stage; `where`, `sort`, `head`, `fields`, `rename` only. */
export function applyTableStage(t: Table, s: PipeStage): Table {
  switch (s.kind) {
    case "where":
      return { columns: t.columns, rows: t.rows.filter((row) => rowMatches(t, row, s.expr)) };
    case "sort": {
      const keys = s.keys.map((k) => ({ at: columnIndex(t, k.field, "sort"), sign: k.desc ? -1 : 1 }));
      const rows = t.rows.slice().sort((a, b) => {
        for (const k of keys) {
          const c = compareCells(a[k.at]!, b[k.at]!);
          if (c !== 0) return a[k.at] === null || b[k.at] === null ? c : c * k.sign;
        }
        return 0;
      });
      return { columns: t.columns, rows };
    }
    case "head":
      return { columns: t.columns, rows: t.rows.slice(0, s.n) };
    case "fields": {
      const at = s.names.map((n) => columnIndex(t, n, "fields"));
      return { columns: at.map((i) => t.columns[i]!), rows: t.rows.map((r) => at.map((i) => r[i]!)) };
    }
    case "rename": {
      const columns = t.columns.map((c) => ({ ...c }));
      for (const p of s.pairs) columns[columnIndex({ columns }, p.from, "rename")]!.name = p.to;
      return { columns, rows: t.rows };
    }
    default:
      throw new LogError("invalid_argument", `${s.kind} cannot follow a table stage (stats, timechart, fields)`);
  }
}

/** The index of column `name` (exact, else ASCII-case-insensitive); an unknown column is an error naming the known ones. */
export function columnIndex(t: Pick<Table, "columns">, name: string, stage: string): number {
  let at = t.columns.findIndex((c) => c.name === name);
  if (at < 0) at = t.columns.findIndex((c) => asciiLower(c.name) === asciiLower(name));
  if (at < 0) throw new LogError("invalid_argument", `${stage}: no column '${name}' (columns: ${t.columns.map((c) => c.name).join(", ")})`);
  return at;
}

function rowMatches(t: Table, row: Cell[], e: Expr): boolean {
  switch (e.kind) {
    case "and":
      return e.children.every((c) => rowMatches(t, row, c));
    case "or":
      return e.children.some((c) => rowMatches(t, row, c));
    case "not":
      return !rowMatches(t, row, e.child);
    case "kv": {
      const v = row[columnIndex(t, e.key, "where")]!;
      return sameValue(v, e.value);
    }
    case "key_exists":
      return row[columnIndex(t, e.key, "where")] !== null;
    case "value_exists":
      return row.some((v) => sameValue(v, e.value));
    case "token":
      return row.some((v) => v !== null && hasToken(String(v), asciiLower(e.word)));
    default:
      throw new LogError("invalid_argument", `where on a table: ${describeExpr(e)} is not supported on table rows (use col=value, col=*, *=value or words)`);
  }
}

function sameValue(cell: Cell, text: string): boolean {
  if (cell === null) return false;
  if (typeof cell === "number") return text.trim() !== "" && Number(text) === cell;
  return asciiLower(cell) === asciiLower(text);
}

/** True when `word` (lowercased) occurs in `text` bounded by non-word characters. */
function hasToken(text: string, word: string): boolean {
  const lower = asciiLower(text);
  for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
    const before = at === 0 ? "" : lower[at - 1]!;
    const after = lower[at + word.length] ?? "";
    if (!/[a-z0-9_]/.test(before) && !/[a-z0-9_]/.test(after)) return true;
  }
  return false;
}
