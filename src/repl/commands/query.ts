/**
 * `query [args]`: validates the text, closes any open stream, opens a Search on the current
 * store (with the context setting) and prints the first page; a table pipeline (| stats ...)
 * runs as an Aggregate and prints the whole table (table.ts).
 */

import { printPage } from "../paging.ts";
import { checkQuery } from "../query-text.ts";
import { ResultStream } from "../stream.ts";
import type { ReplCommand } from "./command.ts";
import { printTable } from "./table.ts";

/** Hits per streamed message when the pager is off. */
const UNPAGED_BATCH = 256;

export const queryCommand: ReplCommand = {
  name: "query",
  usage: "[FILTER] [start=T] [end=T] [last=D] [limit=N] [reverse=true] [| STAGE ...]",
  summary: "Search the current store and print the first page.",
  completion: "query",
  async run(s, args, signal) {
    const q = await checkQuery(s, args, signal);
    if (!q) return false;
    s.closeStream();
    if (q.table) return printTable(s, q.text, signal);
    const abort = new AbortController();
    const { pager, context } = s.settings;
    const call = s.client.query.search(
      { query: { store: s.store, text: q.text, contextBefore: context, contextAfter: context }, batchSize: pager > 0 ? Math.min(pager, UNPAGED_BATCH) : UNPAGED_BATCH },
      { signal: abort.signal },
    );
    s.stream = new ResultStream(call[Symbol.asyncIterator](), abort, q.expression || "query", q.terms);
    return printPage(s, pager, signal, "Query error");
  },
};
