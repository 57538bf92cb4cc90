/**
 * `gastrolog query`: runs one query against a store in a data directory and prints the
 * matches (text or one JSON object per line), or the plan with --explain / --analyze.
 * For scripting; the same engine serves the REPL and the server.
 */

import { parseQueryArgs } from "../../query/lang/controls.ts";
import { explain, explainAnalyze } from "../../query/engine/explain.ts";
import { renderExplain } from "../../query/engine/explain-text.ts";
import { search } from "../../query/engine/search.ts";
import type { SearchRequest } from "../../query/engine/types.ts";
import { nowMicros } from "../../core/time.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG, STORE_FLAG } from "../cli/common-flags.ts";
import { defaultDataDir } from "../paths.ts";
import { hitToJson, hitToText } from "../record-output.ts";
import { openStore } from "../stores.ts";

export const queryCommand: Command = {
  name: "query",
  summary: "Search a store and print matching records (or the query plan).",
  usage: "[--data DIR] [--store NAME] [FLAGS] 'QUERY'",
  details:
    "QUERY is the query language: words, \"phrases\", key=value, key=*, *=value, AND/OR/NOT, -word,\n" +
    "parentheses, and control arguments start= end= last= limit= reverse=. Several QUERY\n" +
    "arguments are joined with spaces. With no QUERY every record matches.",
  flags: [
    DATA_FLAG,
    STORE_FLAG,
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
    const q = parseQueryArgs(args.positionals.join(" "), nowMicros());
    const context = intFlag(args, "context", 0);
    const req: SearchRequest = {
      ...q,
      limit: q.limit > 0 ? q.limit : intFlag(args, "limit", 0),
      reverse: q.reverse || args.flags.reverse === true,
      contextBefore: intFlag(args, "before", context),
      contextAfter: intFlag(args, "after", context),
      resume: stringFlag(args, "resume"),
    };
    const opened = await openStore(stringFlag(args, "data") ?? defaultDataDir(io.env), stringFlag(args, "store", "default")!);
    try {
      if (args.flags.explain || args.flags.analyze) {
        const plan = args.flags.analyze ? await explainAnalyze(opened.source, req) : explain(opened.source, req);
        io.stdout(output === "json" ? JSON.stringify(plan) + "\n" : renderExplain(plan));
        return 0;
      }
      const format = output === "json" ? hitToJson : hitToText;
      const it = search(opened.source, req);
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
      await opened.close();
    }
    return 0;
  },
};
