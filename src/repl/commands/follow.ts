/**
 * `follow [args]` (alias `tail`): live tail of the current store through QueryService.Follow,
 * with the engine's filter semantics across rotations (the same predicates as `query`, not a looser substring test);
 * `| where` filters further and `| fields` prints rows of the named fields. Stops on
 * any key (interactive), Ctrl-C, or when the server ends the stream.
 */

import { isCancel, rpcMessage } from "../client.ts";
import { checkQuery } from "../query-text.ts";
import { hitJson, hitLine } from "../render/records.ts";
import { cellText, tableJsonLines } from "../render/table.ts";
import { fromTablePb } from "../render/table-pb.ts";
import type { Column } from "../../core/table.ts";
import type { ReplCommand } from "./command.ts";

export const followCommand: ReplCommand = {
  name: "follow",
  aliases: ["tail"],
  usage: "[FILTER]",
  summary: "Show new records as they arrive (any key stops).",
  completion: "query",
  anyKeyStops: true,
  async run(s, args, signal) {
    const q = await checkQuery(s, args, signal);
    if (!q) return false;
    let live = false;
    let columns: Column[] = [];
    try {
      for await (const r of s.client.query.follow({ query: { store: s.store, text: q.text } }, { signal })) {
        // The first (empty) message says the follow is live: announce it only then.
        if (!live) {
          s.note(s.interactive ? "--- Following (press any key to stop) ---" : "--- Following (Ctrl-C to stop) ---");
          for (const w of r.warnings) s.note(`note: ${w}`);
          columns = fromTablePb([r]).columns;
          if (columns.length > 0 && s.settings.output !== "json") s.row(columns.map((c) => c.name).join("  "));
        }
        live = true;
        // With | fields, rows come instead of records: one line each (not aligned: they stream).
        for (const row of fromTablePb([{ ...r, columns: [] }]).rows) {
          const t = { columns, rows: [row] };
          s.row(s.settings.output === "json" ? tableJsonLines(t).trimEnd() : row.map((c, i) => cellText(c, columns[i]!.type)).join("  "));
        }
        for (const h of r.hits) {
          if (h.record) s.sawKeys(h.record.attrs);
          s.row(s.settings.output === "json" ? hitJson(h) : hitLine(h, q.terms, s.style));
        }
      }
    } catch (err) {
      if (signal.aborted || isCancel(err)) {
        s.note("--- Follow stopped ---");
        return true;
      }
      s.note(`--- Error: ${rpcMessage(err)} ---`);
      return false;
    }
    s.note("--- End of follow ---");
    return true;
  },
};
