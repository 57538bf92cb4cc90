/**
 * `gastrolog query` through a server: a Connect QueryService client over the server's socket or
 * HTTP address, its responses read back into QueryLink's values (plans with fromQueryPlanPb,
 * tables with fromTablePb) and its errors into LogErrors (server-client.ts remoteError).
 */

import { createClient } from "@connectrpc/connect";
import type { ClientCredentials } from "../api/transports.ts";
import { QueryService, type AggregateResponse } from "../api/gen/gastrolog/v1/query_pb.ts";
import { fromTablePb } from "../repl/render/table-pb.ts";
import { fromQueryPlanPb } from "./query-convert.ts";
import type { QueryFields, QueryLink, SearchPage } from "./query-target.ts";
import { remoteError, serverLink } from "./server-client.ts";

/** A QueryLink to the server for `addr` or the one holding `dataDir`; undefined when there is none. */
export async function openRemoteQuery(dataDir: string, addr: string | undefined, creds: ClientCredentials): Promise<QueryLink | undefined> {
  const link = await serverLink(dataDir, addr, creds);
  if (!link) return undefined;
  const { where } = link;
  const client = createClient(QueryService, link.transport);
  return {
    where,
    async *search(query: QueryFields): AsyncIterable<SearchPage> {
      try {
        yield* client.search({ query });
      } catch (err) {
        throw remoteError(err, where);
      }
    },
    async table(query) {
      const responses: AggregateResponse[] = [];
      try {
        for await (const m of client.aggregate({ query })) responses.push(m);
      } catch (err) {
        // A query stopped by its time limit sent the table counted so far: it is printed first.
        if (responses.length === 0) throw remoteError(err, where);
        return { table: fromTablePb(responses), failure: remoteError(err, where) };
      }
      return { table: fromTablePb(responses) };
    },
    async explain(query, analyze) {
      try {
        const r = await client.explain({ query, analyze });
        return { plan: fromQueryPlanPb(r.plan), text: r.text };
      } catch (err) {
        throw remoteError(err, where);
      }
    },
    close: async () => {},
  };
}
