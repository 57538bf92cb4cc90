/**
 * `gastrolog query`: runs one query and prints the matches (text or one JSON object per line),
 * or the plan with --explain / --analyze. Talks to a running server (--addr, or the one holding
 * --data) or reads the store files of --data directly when no server holds them; both print
 * the same output. For scripting; the same engine serves the REPL and the server.
 */

import { parseQueryArgs } from "../../query/lang/controls.ts";
import type { SearchRequest } from "../../query/engine/types.ts";
import { nowMicros } from "../../core/time.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { defaultDataDir } from "../paths.ts";
import { planJson } from "../query-convert.ts";
import { queryTarget, type QuerySpec } from "../query-target.ts";
import { hitToJson, hitToText } from "../record-output.ts";

export const queryCommand: Command = {
  name: "query",
  summary: "Search a store and print matching records (or the query plan).",
  usage: "[--data DIR | --addr ADDRESS] [--store NAME] [FLAGS] 'QUERY'",
  details:
    "QUERY is the query language: words, \"phrases\", key=value, key=*, *=value, AND/OR/NOT, -word,\n" +
    "parentheses, and control arguments start= end= last= limit= reverse=. Several QUERY\n" +
    "arguments are joined with spaces. With no QUERY every record matches.\n" +
    "While a server holds --data the query goes to it (its socket from <data>/server.json);\n" +
    "--addr names a server explicitly. Without a server the store files are read directly.",
  flags: [
    DATA_FLAG,
    {
      name: "addr",
      kind: "string",
      value: "ADDRESS",
      description: "Running server: socket path, unix:PATH or http(s)://host:port.",
      default: "the server holding --data, else --data's store files directly",
    },
    { name: "store", short: "s", kind: "string", value: "NAME", description: "Store name; * = every store merged by time (server only).", default: "default" },
    { name: "output", short: "o", kind: "string", value: "text|json", description: "Record output format.", default: "text" },
    { name: "limit", short: "n", kind: "string", value: "N", description: "Most matches to print (0 = all); a limit= in QUERY wins when set.", default: "0" },
    { name: "reverse", short: "r", kind: "boolean", description: "Newest first." },
    { name: "context", short: "C", kind: "string", value: "N", description: "Records of context before and after each match.", default: "0" },
    { name: "before", short: "B", kind: "string", value: "N", description: "Records of context before each match." },
    { name: "after", short: "A", kind: "string", value: "N", description: "Records of context after each match." },
    { name: "resume", kind: "string", value: "TOKEN", description: "Continue after the last page (token printed on stderr when the limit stopped a search)." },
    { name: "explain", kind: "boolean", description: "Print the plan per chunk instead of records." },
    { name: "analyze", kind: "boolean", description: "Run the query and print the plan with actual counts and times." },
  ],
  async run(args, io) {
    const output = stringFlag(args, "output", "text");
    if (output !== "text" && output !== "json") throw new UsageError(`flag --output must be text or json (got '${output}')`);
    const text = args.positionals.join(" ");
    const now = nowMicros();
    const q = parseQueryArgs(text, now);
    const context = intFlag(args, "context", 0);
    const req: SearchRequest = {
      ...q,
      limit: q.limit > 0 ? q.limit : intFlag(args, "limit", 0),
      reverse: q.reverse || args.flags.reverse === true,
      contextBefore: intFlag(args, "before", context),
      contextAfter: intFlag(args, "after", context),
      resume: stringFlag(args, "resume"),
    };
    const spec: QuerySpec = { store: stringFlag(args, "store", "default")!, text, now, req };
    const target = await queryTarget(stringFlag(args, "data") ?? defaultDataDir(io.env), stringFlag(args, "addr"), spec.store);
    try {
      if (args.flags.explain || args.flags.analyze) {
        const e = await target.explain(spec, args.flags.analyze === true);
        io.stdout(output === "json" ? planJson(e.plan) + "\n" : e.text);
        return 0;
      }
      const format = output === "json" ? hitToJson : hitToText;
      const it = target.search(spec, (w) => io.stderr(`gastrolog query: warning: ${w}\n`));
      let buffered = "";
      let resume: string | undefined;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          resume = r.value.resume;
          break;
        }
        buffered += format(r.value) + "\n";
        if (buffered.length > 1 << 16) {
          io.stdout(buffered);
          buffered = "";
        }
      }
      io.stdout(buffered);
      if (resume) io.stderr(`--- limit reached; continue with --resume ${resume}\n`);
    } finally {
      await target.close();
    }
    return 0;
  },
};
