/**
 * A table query in the REPL: runs QueryService.Aggregate and prints the table (JSON output:
 * one object per row), with a text histogram beside time-bucket tables (`by bin()`,
 * timechart without `by`); warnings and truncation are notes.
 */

import { rpcMessage } from "../client.ts";
import { sentence } from "../query-text.ts";
import { histogramBars, tableJsonLines, tableText } from "../render/table.ts";
import { fromTablePb } from "../render/table-pb.ts";
import type { AggregateResponse } from "../../api/gen/gastrolog/v1/query_pb.ts";
import type { Session } from "../session.ts";

export async function printTable(s: Session, text: string, signal: AbortSignal): Promise<boolean> {
  const responses: AggregateResponse[] = [];
  try {
    for await (const m of s.client.query.aggregate({ query: { store: s.store, text } }, { signal })) responses.push(m);
  } catch (err) {
    return s.fail(`Query error: ${sentence(rpcMessage(err))}`);
  }
  const t = fromTablePb(responses);
  for (const w of t.warnings) s.note(`warning: ${w}`);
  const body = s.settings.output === "json" ? tableJsonLines(t) : tableText(t, histogramBars(t));
  for (const line of body.split("\n").slice(0, -1)) s.row(line);
  if (t.truncated) s.note(`--- table truncated: ${t.truncated} ---`);
  s.note(`--- ${t.rows.length} row${t.rows.length === 1 ? "" : "s"} ---`);
  return true;
}
