/**
 * Entry point of the gastrolog executable: argv -> command. The only place that calls
 * process.exit.
 */

import { commands } from "./app/commands/index.ts";
import { runCli } from "./app/cli/run.ts";

const code = await runCli(process.argv.slice(2), commands, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: Bun.stdin.stream(),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
});
process.exit(code);
