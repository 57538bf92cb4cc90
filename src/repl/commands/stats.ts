/** `stats`: totals across stores (StoreService.GetStats). */

import { rpcMessage } from "../client.ts";
import { renderStats } from "../render/system.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/store_pb.ts");

export const statsCommand: ReplCommand = {
  name: "stats",
  usage: "",
  summary: "Totals: stores, chunks, records, bytes, receivers.",
  completion: "none",
  async run(s, _args, signal) {
    try {
      const r = await s.client.store.getStats({}, { signal });
      if (s.settings.output === "json") s.row(jsonLine((await pb()).GetStatsResponseSchema, r));
      else for (const line of renderStats(r)) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
  },
};
