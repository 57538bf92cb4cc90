/** `chunk <id>`: one chunk's metadata, looked up in every store. */

import { renderChunk } from "../render/chunks.ts";
import { showChunk } from "./chunk-arg.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/store_pb.ts");

export const chunkCommand: ReplCommand = {
  name: "chunk",
  usage: "<chunk-id>",
  summary: "Show one chunk's metadata.",
  completion: "chunk",
  run: (s, args, signal) => showChunk(s, "chunk", args, async () => (await pb()).ChunkInfoSchema, async (id) => (await s.client.store.getChunk({ chunk: id }, { signal })).chunk!, renderChunk),
};
