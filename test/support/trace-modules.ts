/**
 * Preload for module-graph tests: `TRACE_OUT=FILE bun --preload test/support/trace-modules.ts
 * src/main.ts ARGS` records every module the run imports (project files as absolute paths,
 * packages by name) and writes them, one per line, to FILE when the process exits.
 */

import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const seen = new Set<string>();
Bun.plugin({
  name: "trace-modules",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      seen.add(args.path.startsWith(".") ? resolve(dirname(args.importer), args.path) : args.path);
      return undefined;
    });
  },
});
process.on("exit", () => writeFileSync(process.env.TRACE_OUT!, [...seen].sort().join("\n") + "\n"));
