/**
 * `gastrolog repl`: the interactive REPL against a server (ADDRESS) or with the engine in this
 * process (--embedded). Composes the transport, the session and the interactive loop or a
 * script run (-c COMMAND..., or commands piped on stdin). SIGINT cancels the running command.
 */

import { errorMessage } from "../../core/errors.ts";
import { replClient } from "../../repl/client.ts";
import { History, historyPath } from "../../repl/history.ts";
import { runInteractive } from "../../repl/loop.ts";
import { makeStyle } from "../../repl/render/style.ts";
import { runScript, streamLines } from "../../repl/script.ts";
import { Session } from "../../repl/session.ts";
import { applySetting } from "../../repl/settings.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { isPlainPath } from "../../ingest/import/sources.ts";
import { openEmbedded } from "../embedded.ts";
import { defaultDataDir } from "../paths.ts";
import { parseAddress, probeServer } from "../repl-address.ts";

/** `follow`, then the script's own lines (repl --embedded --follow FILE with -c or piped input). */
async function* followFirst(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  yield "follow";
  yield* lines;
}

/** True when colour is wanted: a terminal and no NO_COLOR (https://no-color.org). */
function colorWanted(tty: boolean, env: Record<string, string | undefined>): boolean {
  return tty && !env.NO_COLOR && env.TERM !== "dumb";
}

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
    { name: "index", kind: "boolean", description: "With --embedded FILE...: import into an indexed memory store instead of searching in place (slower start, faster queries)." },
    { name: "follow", kind: "boolean", description: "With --embedded FILE...: start by following the files live, like tail -f (any key stops; then the prompt)." },
    { name: "command", short: "c", kind: "list", value: "COMMAND", description: "Run COMMAND and exit (repeatable, in order)." },
    { name: "output", short: "o", kind: "string", value: "text|json", description: "Output format (as 'set output=').", default: "text" },
    { name: "store", short: "s", kind: "string", value: "NAME", description: "Store to start on.", default: "default" },
  ],
  async run(args, io) {
    const embedded = args.flags.embedded === true;
    if (!embedded && args.positionals.length > 1) throw new UsageError("give at most one ADDRESS (FILEs need --embedded)");
    const commands = (args.flags.command as string[] | undefined) ?? [];
    const follow = args.flags.follow === true;
    if (follow && (!embedded || args.positionals.length === 0 || args.flags.index === true || stringFlag(args, "data") !== undefined || !args.positionals.every(isPlainPath))) {
      throw new UsageError("--follow follows plain FILEs read in place: give --embedded and FILEs, without --index, --data or compressed files");
    }
    const interactive = commands.length === 0 && Boolean(process.stdin.isTTY);
    const tty = interactive ? Boolean(process.stdout.isTTY) : io.isTTY;
    const interrupt = new AbortController();
    const listeners = new Set<() => void>();
    const onSigint = () => (interactive ? listeners.forEach((f) => f()) : interrupt.abort());
    process.on("SIGINT", onSigint);
    let close: (() => Promise<void>) | undefined;
    try {
      let transport;
      let banner: string[];
      if (embedded) {
        const e = await openEmbedded({ dataDir: stringFlag(args, "data"), files: args.positionals, index: args.flags.index === true, progress: Boolean(process.stderr.isTTY), stderr: io.stderr, signal: interrupt.signal });
        close = () => e.close();
        transport = e.transport;
        banner = e.banner;
      } else {
        const addr = parseAddress(args.positionals[0], stringFlag(args, "data") ?? defaultDataDir(io.env));
        await probeServer(addr);
        transport = addr.transport;
        banner = [`connected to ${addr.label}`];
      }
      const s = new Session(replClient(transport), { out: interactive ? (t) => process.stdout.write(t) : io.stdout, err: interactive ? (t) => process.stdout.write(t) : io.stderr }, makeStyle(colorWanted(tty, io.env), tty), interactive);
      s.store = stringFlag(args, "store", "default")!;
      const output = applySetting(s.settings, `output=${stringFlag(args, "output", "text")}`);
      if (!output.ok) throw new UsageError(`flag --output must be text or json`);
      if (interactive) {
        return await runInteractive(s, {
          input: process.stdin,
          output: process.stdout,
          history: new History(historyPath(io.env)),
          banner,
          initial: follow ? ["follow"] : [],
          onInterrupt: (fn) => {
            listeners.add(fn);
            return () => listeners.delete(fn);
          },
        });
      }
      const script = commands.length > 0 ? commands : streamLines(io.stdin);
      // A reader that goes away (`| head`) ends the run like the end of input: exit 0.
      const gone = new AbortController();
      const onStdoutError = (err: { code?: string }) => {
        if (err.code === "EPIPE") gone.abort();
      };
      process.stdout.on("error", onStdoutError);
      try {
        const code = await runScript(s, follow ? followFirst(script) : script, AbortSignal.any([interrupt.signal, gone.signal]));
        return gone.signal.aborted && !interrupt.signal.aborted ? 0 : code;
      } finally {
        process.stdout.off("error", onStdoutError);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`gastrolog repl: ${interrupt.signal.aborted ? "interrupted" : errorMessage(err)}\n`);
      return interrupt.signal.aborted ? 130 : 1;
    } finally {
      process.off("SIGINT", onSigint);
      await close?.();
    }
  },
};
