/** `explain [args]`: the query plan for the current store, as the server renders it. */

import { toJsonString } from "@bufbuild/protobuf";
import { QueryPlanSchema } from "../../api/gen/gastrolog/v1/query_pb.ts";
import { rpcMessage } from "../client.ts";
import { checkQuery, sentence } from "../query-text.ts";
import type { ReplCommand } from "./command.ts";

export const explainCommand: ReplCommand = {
  name: "explain",
  usage: "[FILTER] [start=T] [end=T] [limit=N]",
  summary: "Show how a query would run: per chunk, indexes used and records to scan.",
  completion: "query",
  async run(s, args, signal) {
    const q = await checkQuery(s, args, signal);
    if (!q) return false;
    try {
      const r = await s.client.query.explain({ query: { store: s.store, text: q.text } }, { signal });
      if (s.settings.output === "json") s.row(toJsonString(QueryPlanSchema, r.plan!));
      else for (const line of r.text.replace(/\n$/, "").split("\n")) s.row(line);
      return true;
    } catch (err) {
      return s.fail(`Query error: ${sentence(rpcMessage(err))}`);
    }
  },
};
