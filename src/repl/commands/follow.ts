/**
 * `follow [args]` (alias `tail`): live tail of the current store through QueryService.Follow,
 * with the engine's filter semantics across rotations (the same predicates as `query`, not a looser substring test). Stops on
 * any key (interactive), Ctrl-C, or when the server ends the stream.
 */

import { isCancel, rpcMessage } from "../client.ts";
import { checkQuery } from "../query-text.ts";
import { hitJson, hitLine } from "../render/records.ts";
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
    try {
      for await (const r of s.client.query.follow({ query: { store: s.store, text: q.text } }, { signal })) {
        // The first (empty) message says the follow is live: announce it only then.
        if (!live) {
          s.note(s.interactive ? "--- Following (press any key to stop) ---" : "--- Following (Ctrl-C to stop) ---");
          for (const w of r.warnings) s.note(`note: ${w}`);
        }
        live = true;
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
