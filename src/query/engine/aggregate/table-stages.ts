/**
 * The stages that work on a table (after stats, timechart or fields): where, sort, head,
 * fields and rename. `where` reads its filter over a row: `col=value` compares a column
 * (name and value ASCII-case-insensitive, numbers by value), `col>N` and the other comparisons
 * as the filter compares fields (predicates/compare.ts), `col=*` needs a value, `*=value` any
 * column, globs match column names and values, a word any cell containing it as a token;
 * regexes are refused.
 */

import { asciiLower } from "../../../core/ascii.ts";
import { LogError } from "../../../core/errors.ts";
import type { Expr } from "../../lang/ast.ts";
import type { PipeStage } from "../../lang/pipe-ast.ts";
import { describeExpr } from "../../lang/printer.ts";
import { compareCells } from "./stats.ts";
import { compareKind, compareValue } from "../predicates/compare.ts";
import { globMatchesWords } from "../predicates/glob.ts";
import { compileGlob } from "../predicates/glob-match.ts";
import type { Cell, Table } from "../../../core/table.ts";

/** Applies a table stage; `where`, `sort`, `head`, `fields`, `rename` only. */
export function applyTableStage(t: Table, s: PipeStage): Table {
  switch (s.kind) {
    case "where": {
      const test = rowTest(t, s.expr);
      return { columns: t.columns, rows: t.rows.filter(test) };
    }
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

type RowTest = (row: Cell[]) => boolean;

/** The filter compiled once into a test of a table row (columns looked up once). */
function rowTest(t: Table, e: Expr): RowTest {
  switch (e.kind) {
    case "and": {
      const parts = e.children.map((c) => rowTest(t, c));
      return (row) => parts.every((p) => p(row));
    }
    case "or": {
      const parts = e.children.map((c) => rowTest(t, c));
      return (row) => parts.some((p) => p(row));
    }
    case "not": {
      const inner = rowTest(t, e.child);
      return (row) => !inner(row);
    }
    case "kv": {
      const at = columnIndex(t, e.key, "where");
      return (row) => sameValue(row[at]!, e.value);
    }
    case "key_exists": {
      const at = columnIndex(t, e.key, "where");
      return (row) => row[at] !== null;
    }
    case "value_exists":
      return (row) => row.some((v) => sameValue(v, e.value));
    case "token": {
      const word = asciiLower(e.word);
      return (row) => row.some((v) => v !== null && hasToken(String(v), word));
    }
    case "compare": {
      const at = columnIndex(t, e.key, "where");
      const p = compareKind.compile(e)!;
      return (row) => row[at] !== null && compareValue(p, String(row[at]));
    }
    case "glob": {
      const glob = compileGlob(e.pattern);
      return (row) => row.some((v) => v !== null && globMatchesWords(glob, String(v)));
    }
    case "glob_kv": {
      const key = e.keyGlob ? compileGlob(e.key) : undefined;
      const value = e.valueGlob ? compileGlob(e.value) : undefined;
      const cols = t.columns.flatMap((c, i) => ((key ? key.matches(c.name) : asciiLower(c.name) === asciiLower(e.key)) ? [i] : []));
      return (row) => cols.some((i) => row[i] !== null && (value ? value.matches(String(row[i])) : sameValue(row[i]!, e.value)));
    }
    default:
      throw new LogError("invalid_argument", `where on a table: ${describeExpr(e)} is not supported on table rows (use col=value, col>N and the other comparisons, globs, col=*, *=value or words)`);
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
