/**
 * Entry point of the gastrolog executable: argv -> command. The only place that calls
 * process.exit, and only once stdout and stderr have drained (Bun drops queued pipe writes at
 * exit, which cut output short for a slow reader).
 */

import { commands } from "./app/commands/index.ts";
import { StreamOutput } from "./app/cli/output.ts";
import { runCli } from "./app/cli/run.ts";

const out = new StreamOutput(process.stdout);
const err = new StreamOutput(process.stderr, true);
const code = await runCli(process.argv.slice(2), commands, {
  stdout: (t) => out.write(t),
  stderr: (t) => void err.write(t),
  stdin: Bun.stdin.stream(),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
});
await Promise.all([out.drained(), err.drained()]);
process.exit(code);
