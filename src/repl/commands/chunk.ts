/** `chunk <id>`: one chunk's metadata, looked up in every store. */

import { ChunkInfoSchema } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { renderChunk } from "../render/chunks.ts";
import { chunkArg, chunkError } from "./chunk-arg.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

export const chunkCommand: ReplCommand = {
  name: "chunk",
  usage: "<chunk-id>",
  summary: "Show one chunk's metadata.",
  completion: "chunk",
  async run(s, args, signal) {
    const id = chunkArg(s, "chunk", args);
    if (!id) return false;
    try {
      const { chunk } = await s.client.store.getChunk({ chunk: id }, { signal });
      if (s.settings.output === "json") s.row(jsonLine(ChunkInfoSchema, chunk!));
      else for (const line of renderChunk(chunk!)) s.row(line);
      return true;
    } catch (err) {
      return chunkError(s, id, err);
    }
  },
};
