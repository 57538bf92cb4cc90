/**
 * QueryTarget over a running server's QueryService (Search stream, Explain), for `gastrolog
 * query --addr` or while a server holds --data. Sends the query text with the client's clock
 * and the resolved limit/order/context/resume, so the server plans exactly what local mode would.
 */

import type { MessageInitShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { QueryService, type QuerySchema } from "../api/gen/gastrolog/v1/query_pb.ts";
import type { SearchHit } from "../query/engine/types.ts";
import { fromHitPb, fromQueryPlanPb } from "./query-convert.ts";
import type { QuerySpec, QueryTarget } from "./query-target.ts";
import { remoteError, type ServerLink } from "./server-client.ts";

function queryPb(spec: QuerySpec): MessageInitShape<typeof QuerySchema> {
  const r = spec.req;
  return {
    store: spec.store,
    text: spec.text,
    nowUs: BigInt(spec.now),
    limit: r.limit,
    reverse: r.reverse,
    contextBefore: r.contextBefore,
    contextAfter: r.contextAfter,
    resumeToken: r.resume ?? "",
  };
}

/** A QueryTarget talking to `link`; RPC failures surface as LogErrors naming the server. */
export function remoteQueryTarget(link: ServerLink): QueryTarget {
  const client = createClient(QueryService, link.transport);
  return {
    async *search(spec, onWarning): AsyncGenerator<SearchHit, { resume?: string }> {
      let resume = "";
      try {
        for await (const m of client.search({ query: queryPb(spec) })) {
          for (const w of m.warnings) onWarning(w);
          for (const h of m.hits) yield fromHitPb(h);
          if (m.done) resume = m.resumeToken;
        }
      } catch (err) {
        throw remoteError(err, link.where);
      }
      return resume === "" ? {} : { resume };
    },
    async explain(spec, analyze) {
      try {
        const r = await client.explain({ query: queryPb(spec), analyze });
        return { plan: fromQueryPlanPb(r.plan), text: r.text };
      } catch (err) {
        throw remoteError(err, link.where);
      }
    },
    close: async () => {},
  };
}
