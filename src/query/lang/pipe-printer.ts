/**
 * Pipe stages back to query text: `parseStages(printStages(s))` gives `s` again (the parser
 * test checks it), so the canonical form can be shown and sent on.
 */

import { formatDuration } from "../../core/duration.ts";
import type { AggSpec, GroupSpec, PipeStage } from "./pipe-ast.ts";
import { printExpr, printWord } from "./printer.ts";

function agg(a: AggSpec): string {
  const args = a.fn === "quantile" ? `${a.q}, ${printWord(a.field!)}` : a.field !== undefined ? printWord(a.field) : "";
  return `${a.fn}(${args})${a.alias !== undefined ? ` as ${printWord(a.alias)}` : ""}`;
}

function group(g: GroupSpec): string {
  if (g.kind === "field") return printWord(g.name);
  return `bin(${formatDuration(g.width)}${g.time === "_time" ? "" : `, ${g.time}`})`;
}

/** One stage as text (no leading `|`). */
export function printStage(s: PipeStage): string {
  switch (s.kind) {
    case "stats":
      return `stats ${s.aggs.map(agg).join(", ")}${s.by.length > 0 ? ` by ${s.by.map(group).join(", ")}` : ""}`;
    case "timechart":
      return `timechart ${s.buckets}${s.by !== undefined ? ` by ${printWord(s.by)}` : ""}`;
    case "where":
      return `where ${printExpr(s.expr)}`;
    case "sort":
      return `sort ${s.keys.map((k) => (k.desc ? "-" : "") + printWord(k.field)).join(", ")}`;
    case "head":
      return `head ${s.n}`;
    case "fields":
      return `fields ${s.names.map(printWord).join(", ")}`;
    case "rename":
      return `rename ${s.pairs.map((p) => `${printWord(p.from)} as ${printWord(p.to)}`).join(", ")}`;
  }
}

/** The stages as ` | stage | stage` ("" for none). */
export function printStages(stages: readonly PipeStage[]): string {
  return stages.map((s) => ` | ${printStage(s)}`).join("");
}
