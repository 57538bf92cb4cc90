/**
 * Dispatches argv to a command: top-level help, per-command help, usage errors (exit 2),
 * runtime errors (exit 1, one clear line) and a reader that closed the output (exit 0, quietly).
 * Returns the exit code; main.ts exits with it.
 */

import { errorMessage, LogError, OutputClosedError } from "../../core/errors.ts";
import { parseArgs } from "./args.ts";
import { UsageError, type Command, type CommandIO } from "./command.ts";
import { renderCommandHelp, renderTopHelp } from "./help.ts";

export async function runCli(argv: readonly string[], commands: readonly Command[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(renderTopHelp(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") return runCli(["version"], commands, io);
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`gastrolog: unknown command '${name}'. Run 'gastrolog --help' for the list.\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, cmd.flags);
    if (args.flags.help) {
      io.stdout(renderCommandHelp(cmd));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (err) {
    if (err instanceof OutputClosedError) return 0;
    if (err instanceof UsageError) {
      io.stderr(`gastrolog ${cmd.name}: ${err.message}\nUsage: ${`gastrolog ${cmd.name} ${cmd.usage}`.trimEnd()}\nRun 'gastrolog ${cmd.name} --help' for details.\n`);
      return 2;
    }
    if (err instanceof LogError && err.code === "invalid_argument") {
      io.stderr(`gastrolog ${cmd.name}: ${err.message}\n`);
      return 2;
    }
    io.stderr(`gastrolog ${cmd.name}: ${errorMessage(err)}\n`);
    return 1;
  }
}
