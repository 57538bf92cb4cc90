/** `chunks`: every store's chunks (event time range, records, state). */

import { rpcMessage } from "../client.ts";
import { renderChunks } from "../render/chunks.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/store_pb.ts");

export const chunksCommand: ReplCommand = {
  name: "chunks",
  usage: "",
  summary: "List the chunks of every store.",
  completion: "none",
  async run(s, _args, signal) {
    try {
      const [stores, chunks] = await Promise.all([s.client.store.listStores({}, { signal }), s.client.store.listChunks({}, { signal })]);
      if (s.settings.output === "json") for (const c of chunks.chunks) s.row(jsonLine((await pb()).ChunkInfoSchema, c));
      else for (const line of renderChunks(stores.stores, chunks.chunks)) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
  },
};
