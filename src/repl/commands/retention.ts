/**
 * `retention [show] | set STORE maxAge=7d maxBytes=10GB maxChunks=N [-m REASON] | sweep
 * [STORE]`: per-store retention through ConfigService (a `set` is a new config version; a
 * sweep deletes expired sealed chunks now), printed like `gastrolog retention`.
 */

import { LogError } from "../../core/errors.ts";
import { rpcMessage } from "../client.ts";
import { renderRetention, renderSweep } from "../render/config.ts";
import type { Session } from "../session.ts";
import { splitWords, takeReason } from "../words.ts";
import { printChange } from "./config.ts";
import { jsonLine } from "./json.ts";
import type { ReplCommand } from "./command.ts";

/** The generated module, loaded only for JSON output (start-up builds no descriptors for it). */
const pb = () => import("../../api/gen/gastrolog/v1/config_pb.ts");

const USAGE = "retention [show] | set STORE maxAge=7d maxBytes=10GB maxChunks=N [-m REASON] | sweep [STORE]";

async function run(s: Session, words: string[], signal: AbortSignal): Promise<boolean> {
  const json = s.settings.output === "json";
  const [sub = "show", ...args] = words;
  switch (sub) {
    case "show": {
      if (args.length > 0) throw new LogError("invalid_argument", `Usage: ${USAGE}`);
      const r = await s.client.config.getRetention({}, { signal });
      if (json) s.row(jsonLine((await pb()).GetRetentionResponseSchema, r));
      else for (const line of renderRetention(r)) s.row(line);
      return true;
    }
    case "set": {
      const { rest, reason } = takeReason(args);
      const [store, ...assignments] = rest;
      if (store === undefined || assignments.length === 0) throw new LogError("invalid_argument", "Usage: retention set STORE maxAge=7d maxBytes=10GB maxChunks=N [-m REASON]");
      return printChange(s, (await s.client.config.setRetention({ store, assignments, reason }, { signal })).change);
    }
    case "sweep": {
      if (args.length > 1) throw new LogError("invalid_argument", "Usage: retention sweep [STORE]");
      const r = await s.client.config.sweepRetention({ store: args[0] ?? "" }, { signal });
      if (json) s.row(jsonLine((await pb()).SweepRetentionResponseSchema, r));
      else for (const line of renderSweep(r)) s.row(line);
      return r.errors.length === 0;
    }
    default:
      throw new LogError("invalid_argument", `unknown subcommand '${sub}'. Usage: ${USAGE}`);
  }
}

export const retentionCommand: ReplCommand = {
  name: "retention",
  usage: "[show|set STORE KEY=VALUE...|sweep [STORE]]",
  summary: "Show or change per-store retention, or apply it now.",
  completion: "subcommand",
  subcommands: { show: "none", set: "store", sweep: "store" },
  async run(s, args, signal) {
    try {
      return await run(s, splitWords(args), signal);
    } catch (err) {
      return s.fail(err instanceof LogError ? err.message : `Error: ${rpcMessage(err)}`);
    }
  },
};
