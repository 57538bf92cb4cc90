/** `receivers`: the receivers the server runs, with their counters (from Status). */

import { rpcMessage } from "../client.ts";
import { renderReceivers } from "../render/system.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/lifecycle_pb.ts");

export const receiversCommand: ReplCommand = {
  name: "receivers",
  usage: "",
  summary: "Receivers: state, addresses, counters, drops; the ingest queue.",
  completion: "none",
  async run(s, _args, signal) {
    try {
      const r = await s.client.lifecycle.status({}, { signal });
      if (s.settings.output === "json") for (const x of r.receivers) s.row(jsonLine((await pb()).ReceiverStatusSchema, x));
      else for (const line of renderReceivers(r)) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Error: ${rpcMessage(err)}`);
    }
  },
};
