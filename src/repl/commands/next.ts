/** `next [N]`: the next page of the open query (or N records for this call only). */

import { printPage } from "../paging.ts";
import type { ReplCommand } from "./command.ts";

export const nextCommand: ReplCommand = {
  name: "next",
  usage: "[N]",
  summary: "Print the next page of the current query (N records this time).",
  completion: "none",
  async run(s, args, signal) {
    if (!s.stream) return s.fail("No active query. Use 'query' first.");
    const arg = args.trim();
    if (arg !== "" && !/^\d{1,9}$/.test(arg)) return s.fail(`Invalid count: ${arg} (expected a non-negative integer)`);
    return printPage(s, arg === "" ? s.settings.pager : Number(arg), signal);
  },
};
