/** `indexes <id>`: a sealed chunk's indexes with their term and position counts (GetIndexStats). */

import { GetIndexStatsResponseSchema } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { renderIndexes } from "../render/index-stats.ts";
import { chunkArg, chunkError } from "./chunk-arg.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

export const indexesCommand: ReplCommand = {
  name: "indexes",
  usage: "<chunk-id>",
  summary: "Show a sealed chunk's indexes.",
  completion: "chunk",
  async run(s, args, signal) {
    const id = chunkArg(s, "indexes", args);
    if (!id) return false;
    try {
      const r = await s.client.store.getIndexStats({ chunk: id }, { signal });
      if (s.settings.output === "json") s.row(jsonLine(GetIndexStatsResponseSchema, r));
      else for (const line of renderIndexes(r)) s.row(line);
      return true;
    } catch (err) {
      return chunkError(s, id, err);
    }
  },
};
