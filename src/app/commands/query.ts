/**
 * `gastrolog query`: runs one query and prints the matches (text or one JSON object per line),
 * or the plan with --explain / --analyze (implementation: query-run.ts). Through a running
 * server's QueryService (--addr, or the one holding --data), else the same query code over the
 * store files of --data in this process, so both print the same bytes.
 */

import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { CLIENT_FLAGS } from "../cli/credentials.ts";

export const queryCommand: Command = {
  name: "query",
  summary: "Search a store and print matching records (or the query plan).",
  usage: "[--data DIR | --addr ADDRESS] [--store NAME] [FLAGS] 'QUERY'",
  details:
    "QUERY is the query language: words, \"phrases\", key=value, key=*, *=value, AND/OR/NOT, -word,\n" +
    "parentheses, and control arguments start= end= last= limit= reverse=, then pipe stages:\n" +
    "| stats count(), count_distinct(f), min(f), max(f), sum(f), avg(f), quantile(q, f) [as NAME]\n" +
    "[by f, g | by bin(5m)], | timechart N [by f], | where FILTER, | sort [-]f, | head N,\n" +
    "| fields a, b, | rename a as b (README \"Pipelines\"); stats, timechart and fields print a\n" +
    "table. Several QUERY\n" +
    "arguments are joined with spaces. Results come in storage order (the order records were\n" +
    "stored, chunk by chunk), or its reverse with --reverse / reverse=true; a store's order is\n" +
    "event time only where records arrived in time order (--store '*' merges stores by time).\n" +
    "With no QUERY every record matches.\n" +
    "While a server holds --data the query goes to it (its socket from <data>/server.json);\n" +
    "--addr names a server explicitly. Without a server the store files are read directly;\n" +
    "a store another process writes (an import) is read as it is now, writing nothing in it,\n" +
    "and stderr says which process writes it.\n" +
    "Text output shows control characters and bytes that are not UTF-8 as \\xNN (a stored\n" +
    "escape sequence cannot drive your terminal); --raw writes the stored bytes untouched. JSON\n" +
    "output adds raw_base64 (the exact bytes) when a record is not valid UTF-8.",
  flags: [
    DATA_FLAG,
    {
      name: "addr",
      kind: "string",
      value: "ADDRESS",
      description: "Running server: socket path, unix:PATH or http(s)://host:port.",
      default: "the server holding --data, else --data's store files directly",
    },
    ...CLIENT_FLAGS,
    { name: "store", short: "s", kind: "string", value: "NAME", description: "Store name; * = every store merged by event time.", default: "default" },
    { name: "output", short: "o", kind: "string", value: "text|json|csv", description: "Output format (csv: tables only; json: one object per record or row).", default: "text" },
    { name: "raw", kind: "boolean", description: "Text output: write records' stored bytes as they are (control characters included)." },
    { name: "limit", short: "n", kind: "string", value: "N", description: "Most matches to print (0 = all); a limit= in QUERY wins when set.", default: "0" },
    { name: "reverse", short: "r", kind: "boolean", description: "Reverse storage order: the last stored record first (chunk by chunk, not sorted by event time)." },
    { name: "context", short: "C", kind: "string", value: "N", description: "Records of context before and after each match.", default: "0" },
    { name: "before", short: "B", kind: "string", value: "N", description: "Records of context before each match." },
    { name: "after", short: "A", kind: "string", value: "N", description: "Records of context after each match." },
    { name: "resume", kind: "string", value: "TOKEN", description: "Continue after the last page (token printed on stderr when the limit stopped a search)." },
    { name: "explain", kind: "boolean", description: "Print the plan per chunk instead of records." },
    { name: "analyze", kind: "boolean", description: "Run the query and print the plan with actual counts and times." },
  ],
  run: lazyRun(() => import("./query-run.ts")),
};
