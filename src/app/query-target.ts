/**
 * Where `gastrolog query` sends its request: a running server's QueryService (--addr, or the
 * server holding --data; query-remote.ts), else the same query code over the store files of
 * --data in this process (query-local.ts, which loads no Connect, generated API or protobuf).
 * Both answer through QueryLink with the same values, so every query feature prints the same
 * bytes locally and remotely. Each side is loaded only when used.
 */

import type { ClientCredentials } from "../api/transports.ts";
import type { Hit } from "../api/gen/gastrolog/v1/common_pb.ts";
import type { QueryPlan } from "../query/engine/types.ts";
import type { TableResult } from "../repl/render/table.ts";
import { runningServer } from "./server/server-info.ts";

/** The fields of the API's Query message `gastrolog query` sets. */
export interface QueryFields {
  store: string;
  text: string;
  nowUs: bigint;
  limit: number;
  reverse: boolean;
  contextBefore: number;
  contextAfter: number;
  resumeToken: string;
}

/** One batch of a search, as a Search response carries it. */
export interface SearchPage {
  hits: Hit[];
  warnings: string[];
  /** The last batch: `resumeToken` ("" when the search ended) and `truncated` are set. */
  done: boolean;
  resumeToken: string;
  truncated: string;
}

/**
 * A QueryService to ask, how to name it in errors, and what to close afterwards. Failures are
 * LogErrors with the codes and messages a server's would come back with.
 */
export interface QueryLink {
  where: string;
  /** What the user should know about the answers (a store read while another process writes it), one line each. */
  notices?: string[];
  search(q: QueryFields): AsyncIterable<SearchPage>;
  /** A table pipeline's table; `failure`: what stopped it (its time limit) after the table was sent. */
  table(q: QueryFields): Promise<{ table: TableResult; failure?: unknown }>;
  /** The plan (as a server's ExplainResponse reads back) and its text. */
  explain(q: QueryFields, analyze: boolean): Promise<{ plan: QueryPlan; text: string }>;
  close(): Promise<void>;
}

/**
 * The server for `addr` or the one holding `dataDir`, else `store` of `dataDir` opened here
 * ("*" = all). Creates nothing: an unknown data directory or store is a not_found error naming
 * what exists (data-dir.ts).
 */
export async function openQueryLink(dataDir: string, addr: string | undefined, store: string, env: Record<string, string | undefined>, creds: ClientCredentials = {}): Promise<QueryLink> {
  if (addr !== undefined || runningServer(dataDir)) {
    const { openRemoteQuery } = await import("./query-remote.ts");
    const link = await openRemoteQuery(dataDir, addr, creds);
    if (link) return link;
  }
  const { requireDataDir } = await import("./data-dir.ts");
  requireDataDir(dataDir, env);
  const { openLocalQuery } = await import("./query-local.ts");
  return openLocalQuery(dataDir, store);
}
