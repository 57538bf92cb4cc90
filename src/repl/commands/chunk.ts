/** `chunk <id>`: one chunk's metadata, looked up in every store. */

import { ChunkInfoSchema } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { renderChunk } from "../render/chunks.ts";
import { showChunk } from "./chunk-arg.ts";
import type { ReplCommand } from "./command.ts";

export const chunkCommand: ReplCommand = {
  name: "chunk",
  usage: "<chunk-id>",
  summary: "Show one chunk's metadata.",
  completion: "chunk",
  run: (s, args, signal) => showChunk(s, "chunk", args, ChunkInfoSchema, async (id) => (await s.client.store.getChunk({ chunk: id }, { signal })).chunk!, renderChunk),
};
