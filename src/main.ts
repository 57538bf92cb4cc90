/**
 * Entry point of the gastrolog executable: argv -> command. The only place that calls
 * process.exit. Output goes through FdOutput (blocking writes, so nothing is left queued at
 * exit); standard input and the terminal check are set up only if a command uses them.
 */

import { commands } from "./app/commands/index.ts";
import { FdOutput } from "./app/cli/output.ts";
import { runCli } from "./app/cli/run.ts";
import { isTerminal } from "./app/cli/tty.ts";

const out = new FdOutput(1);
const err = new FdOutput(2, true);
const code = await runCli(process.argv.slice(2), commands, {
  stdout: (t) => out.write(t),
  stderr: (t) => err.write(t),
  get stdin() {
    return Bun.stdin.stream();
  },
  // Checked without node:tty (it loads Node's stream classes, a few ms): only for commands that ask.
  get isTTY() {
    return isTerminal(1);
  },
  env: process.env,
});
process.exit(code);
