/** `status`: server phase, receivers and each store's active chunk (LifecycleService.Status). */

import { rpcMessage } from "../client.ts";
import { renderStatus } from "../render/system.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/lifecycle_pb.ts");

export const statusCommand: ReplCommand = {
  name: "status",
  usage: "",
  summary: "Server phase, receivers and active chunks.",
  completion: "none",
  async run(s, _args, signal) {
    try {
      const r = await s.client.lifecycle.status({}, { signal });
      if (s.settings.output === "json") s.row(jsonLine((await pb()).StatusResponseSchema, r));
      else for (const line of renderStatus(r)) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
  },
};
