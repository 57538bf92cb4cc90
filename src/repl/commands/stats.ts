/** `stats`: totals across stores (StoreService.GetStats). */

import { GetStatsResponseSchema } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { rpcMessage } from "../client.ts";
import { renderStats } from "../render/system.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

export const statsCommand: ReplCommand = {
  name: "stats",
  usage: "",
  summary: "Totals: stores, chunks, records, bytes, receivers.",
  completion: "none",
  async run(s, _args, signal) {
    try {
      const r = await s.client.store.getStats({}, { signal });
      if (s.settings.output === "json") s.row(jsonLine(GetStatsResponseSchema, r));
      else for (const line of renderStats(r)) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
  },
};
