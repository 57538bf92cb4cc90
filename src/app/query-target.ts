/**
 * Where `gastrolog query` runs: the engine over the store files of a data directory (no
 * server may hold it), or a running server's QueryService (query-remote.ts). Both take the
 * same parsed request and yield engine SearchHits and plans, so the command prints once.
 */

import { explain, explainAnalyze } from "../query/engine/explain.ts";
import { renderExplain } from "../query/engine/explain-text.ts";
import { search } from "../query/engine/search.ts";
import type { QueryPlan, SearchHit, SearchRequest } from "../query/engine/types.ts";
import { LogError } from "../core/errors.ts";
import { remoteQueryTarget } from "./query-remote.ts";
import { serverLink } from "./server-client.ts";
import { openStore } from "./stores.ts";

/** A parsed query plus the text and clock it came from (a server re-parses the text). */
export interface QuerySpec {
  /** Store name; "*" (every store, merged) only on a server. */
  store: string;
  text: string;
  /** Clock for relative times in `text`, epoch µs. */
  now: number;
  req: SearchRequest;
}

/** A plan and its rendering (`renderExplain`). */
export interface Explained {
  plan: QueryPlan;
  text: string;
}

export interface QueryTarget {
  /** Matches (and context records) in order; returns the resume token when the limit stopped it. */
  search(spec: QuerySpec, onWarning: (message: string) => void): AsyncGenerator<SearchHit, { resume?: string }>;
  explain(spec: QuerySpec, analyze: boolean): Promise<Explained>;
  close(): Promise<void>;
}

/** Every store of a server, merged (QueryService's "*"). */
export const ALL_STORES = "*";

/**
 * The target for a command line: `addr`, else the live server holding `dataDir`, else the
 * store files of `dataDir` (opened here, for `store` only).
 */
export async function queryTarget(dataDir: string, addr: string | undefined, store: string): Promise<QueryTarget> {
  const link = serverLink(dataDir, addr);
  if (link) return remoteQueryTarget(link);
  if (store === ALL_STORES) throw new LogError("invalid_argument", `--store '${ALL_STORES}' needs a running server (--addr, or one holding ${dataDir}); without one, name a store`);
  return localQueryTarget(dataDir, store);
}

async function localQueryTarget(dataDir: string, store: string): Promise<QueryTarget> {
  const opened = await openStore(dataDir, store);
  return {
    search: (spec, onWarning) => search(opened.source, spec.req, { onWarning }),
    async explain(spec, analyze) {
      const plan = analyze ? await explainAnalyze(opened.source, spec.req) : await explain(opened.source, spec.req);
      return { plan, text: renderExplain(plan) };
    },
    close: () => opened.close(),
  };
}
