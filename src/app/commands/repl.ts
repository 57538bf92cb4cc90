/**
 * `gastrolog repl`: the interactive REPL against a server (ADDRESS) or with the engine in this
 * process (--embedded). Implementation: repl-run.ts.
 */

import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { CLIENT_FLAGS } from "../cli/credentials.ts";

export const replCommand: Command = {
  name: "repl",
  summary: "Explore logs interactively, on a server or in-process (--embedded FILE...).",
  usage: "[ADDRESS] | --embedded [--data DIR] [--follow] [FILE...]  [-c COMMAND]...",
  details:
    "ADDRESS is a Unix socket path, unix:PATH or http(s)://HOST:PORT; default: the socket of\n" +
    "the server using the data dir (<data>/gastrolog.sock). --embedded runs the engine here:\n" +
    "plain FILEs are searched where they lie, with no import, and kept reading as they grow\n" +
    "(`follow` shows new lines live; --follow starts with it, like tail -f); .gz, .zst and '-'\n" +
    "are imported into memory; with --data, FILEs are imported into indexed file stores; with neither, the\n" +
    "chatterbox demo generates logs. With -c or piped stdin, commands run one per line and the\n" +
    "exit code is 1 if any failed. Type 'help' inside for the commands.",
  flags: [
    { name: "embedded", short: "e", kind: "boolean", description: "Run the engine in this process instead of connecting to a server." },
    DATA_FLAG,
    ...CLIENT_FLAGS,
    { name: "index", kind: "boolean", description: "With --embedded FILE...: import into an indexed memory store instead of searching in place (slower start, faster queries)." },
    { name: "follow", kind: "boolean", description: "With --embedded FILE...: start by following the files live, like tail -f (any key stops; then the prompt)." },
    { name: "command", short: "c", kind: "list", value: "COMMAND", description: "Run COMMAND and exit (repeatable, in order)." },
    { name: "output", short: "o", kind: "string", value: "text|json", description: "Output format (as 'set output=').", default: "text" },
    { name: "store", short: "s", kind: "string", value: "NAME", description: "Store to start on.", default: "default" },
  ],
  run: lazyRun(() => import("./repl-run.ts")),
};
