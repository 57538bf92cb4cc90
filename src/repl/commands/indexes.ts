/** `indexes <id>`: a sealed chunk's indexes with their term and position counts (GetIndexStats). */

import { renderIndexes } from "../render/index-stats.ts";
import { showChunk } from "./chunk-arg.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/store_pb.ts");

export const indexesCommand: ReplCommand = {
  name: "indexes",
  usage: "<chunk-id>",
  summary: "Show a sealed chunk's indexes.",
  completion: "chunk",
  run: (s, args, signal) => showChunk(s, "indexes", args, async () => (await pb()).GetIndexStatsResponseSchema, (id) => s.client.store.getIndexStats({ chunk: id }, { signal }), renderIndexes),
};
