/**
 * Preload for module-graph tests: `TRACE_OUT=FILE bun --preload test/support/trace-modules.ts
 * src/main.ts ARGS` records every module the run imports (project files as absolute paths,
 * packages' files as absolute paths) and writes them, one per line, to FILE when the process
 * exits. A package imported by its bare name does not pass through onResolve, so the modules in
 * require.cache (Bun lists ES modules there too) are added at exit.
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
process.on("exit", () => {
  for (const path of Object.keys(require.cache)) seen.add(path);
  writeFileSync(process.env.TRACE_OUT!, [...seen].sort().join("\n") + "\n");
});
