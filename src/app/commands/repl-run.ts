/**
 * `gastrolog repl` at work (the command and its flags: repl.ts): composes the transport, the
 * session and the interactive loop or a script run (-c COMMAND..., or commands piped on
 * stdin). SIGINT cancels the running command.
 */

import type { Transport } from "@connectrpc/connect";
import { errorMessage } from "../../core/errors.ts";
import { replClient } from "../../repl/client.ts";
import { makeStyle } from "../../repl/render/style.ts";
import { runScript, streamLines } from "../../repl/script.ts";
import { Session } from "../../repl/session.ts";
import { applySetting } from "../../repl/settings.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { isPlainPath } from "../../ingest/import/defaults.ts";
import { clientCredentials } from "../cli/credentials.ts";
import { isTerminal } from "../cli/tty.ts";
import { defaultDataDir } from "../paths.ts";

/** `follow`, then the script's own lines (repl --embedded --follow FILE with -c or piped input). */
async function* followFirst(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  yield "follow";
  yield* lines;
}

/** True when colour is wanted: a terminal and no NO_COLOR (https://no-color.org). */
function colorWanted(tty: boolean, env: Record<string, string | undefined>): boolean {
  return tty && !env.NO_COLOR && env.TERM !== "dumb";
}

export const run: Command["run"] = async (args, io) => {
  const embedded = args.flags.embedded === true;
  if (!embedded && args.positionals.length > 1) throw new UsageError("give at most one ADDRESS (FILEs need --embedded)");
  const commands = (args.flags.command as string[] | undefined) ?? [];
  const follow = args.flags.follow === true;
  if (follow && (!embedded || args.positionals.length === 0 || args.flags.index === true || stringFlag(args, "data") !== undefined || !args.positionals.every(isPlainPath))) {
    throw new UsageError("--follow follows plain FILEs read in place: give --embedded and FILEs, without --index, --data or compressed files");
  }
  // isTerminal(), not process.stdin/stdout.isTTY or node:tty: those build Node streams, costly at start.
  const interactive = commands.length === 0 && isTerminal(0);
  const tty = interactive ? isTerminal(1) : io.isTTY;
  const interrupt = new AbortController();
  const listeners = new Set<() => void>();
  const onSigint = () => (interactive ? listeners.forEach((f) => f()) : interrupt.abort());
  process.on("SIGINT", onSigint);
  let close: (() => Promise<void>) | undefined;
  try {
    // The engine (embedded), the network client (ADDRESS) and the line editor (interactive)
    // are each loaded only when this run uses them.
    let transport: Transport;
    let banner: string[];
    if (embedded) {
      const { openEmbedded } = await import("../embedded.ts");
      const e = await openEmbedded({ dataDir: stringFlag(args, "data"), files: args.positionals, index: args.flags.index === true, progress: isTerminal(2), stderr: io.stderr, signal: interrupt.signal });
      close = () => e.close();
      transport = e.transport;
      banner = e.banner;
    } else {
      const { parseAddress, probeServer } = await import("../repl-address.ts");
      const addr = parseAddress(args.positionals[0], stringFlag(args, "data") ?? defaultDataDir(io.env), clientCredentials(args, io.env));
      await probeServer(addr);
      transport = addr.transport;
      banner = [`connected to ${addr.label}`];
    }
    const s = new Session(replClient(transport), { out: interactive ? (t) => void process.stdout.write(t) : io.stdout, err: interactive ? (t) => void process.stdout.write(t) : io.stderr }, makeStyle(colorWanted(tty, io.env)), interactive);
    s.store = stringFlag(args, "store", "default")!;
    const output = applySetting(s.settings, `output=${stringFlag(args, "output", "text")}`);
    if (!output.ok) throw new UsageError(`flag --output must be text or json`);
    if (interactive) {
      const [{ runInteractive }, { History, historyPath }] = await Promise.all([import("../../repl/loop.ts"), import("../../repl/history.ts")]);
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
    // A reader that goes away (`| head`) ends the run like the end of input: exit 0 (runScript).
    const script = commands.length > 0 ? commands : streamLines(io.stdin);
    return await runScript(s, follow ? followFirst(script) : script, interrupt.signal);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr(`gastrolog repl: ${interrupt.signal.aborted ? "interrupted" : errorMessage(err)}\n`);
    return interrupt.signal.aborted ? 130 : 1;
  } finally {
    process.off("SIGINT", onSigint);
    await close?.();
  }
};
