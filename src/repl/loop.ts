/**
 * The interactive loop: a line editor on node:readline (clack's text prompt has neither tab
 * completion nor history), one fresh readline per prompt so nothing echoes while a command
 * runs. While a command runs the terminal stays raw: Ctrl-C cancels it (any key stops a
 * follow) and the prompt comes back. Ctrl-D on an empty line, `exit` or `quit` leave.
 */

import readline from "node:readline";
import { intro, outro } from "@clack/prompts";
import { Completer } from "./completion.ts";
import { parseLine, runLine } from "./dispatch.ts";
import type { History } from "./history.ts";
import { promptText } from "./prompt.ts";
import type { Session } from "./session.ts";

/** A terminal input stream (process.stdin). */
export type TtyInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

export interface InteractiveOptions {
  input: TtyInput;
  output: NodeJS.WritableStream;
  history: History;
  /** Lines shown under the title (where we are connected, what was imported). */
  banner: readonly string[];
  /** Subscribes to process interrupts (SIGINT not typed at the terminal); returns unsubscribe. */
  onInterrupt?: (fn: () => void) => () => void;
  /** Commands run before the first prompt (e.g. `follow` for `repl --embedded --follow FILE`). */
  initial?: readonly string[];
}

const CTRL_C = 0x03;

/** Reads one line; "" after Ctrl-C at the prompt, undefined on Ctrl-D / end of input. */
function readLine(s: Session, o: InteractiveOptions, completer: Completer, hist: string[]): Promise<string | undefined> {
  const rl = readline.createInterface({
    input: o.input,
    output: o.output,
    terminal: true,
    history: hist,
    historySize: 1000,
    tabSize: 4,
    completer: (line: string, cb: (err: Error | null, r: [string[], string]) => void) => {
      completer.complete(line).then((r) => cb(null, r), () => cb(null, [[], line]));
    },
  });
  rl.setPrompt(promptText(s));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: string | undefined) => {
      if (settled) return;
      settled = true;
      hist.splice(0, hist.length, ...(rl as unknown as { history: string[] }).history);
      rl.close();
      resolve(v);
    };
    rl.on("line", (line) => finish(line));
    rl.on("SIGINT", () => {
      o.output.write("^C\n");
      finish("");
    });
    rl.on("close", () => finish(undefined));
    rl.prompt();
  });
}

/** Runs `line` with Ctrl-C (and, for follow, any key) wired to its abort signal. */
async function runWithKeys(s: Session, o: InteractiveOptions, line: string): Promise<void> {
  const abort = new AbortController();
  const anyKey = parseLine(line)?.command?.anyKeyStops === true;
  const onData = (b: Uint8Array) => {
    if (anyKey || b.includes(CTRL_C)) abort.abort();
  };
  const unsubscribe = o.onInterrupt?.(() => abort.abort());
  o.input.setRawMode?.(true);
  o.input.on("data", onData);
  o.input.resume();
  try {
    await runLine(s, line, abort.signal);
  } finally {
    o.input.off("data", onData);
    o.input.pause();
    unsubscribe?.();
  }
}

/** The interactive session; resolves with the exit code (0) when the user leaves. */
export async function runInteractive(s: Session, o: InteractiveOptions): Promise<number> {
  intro("GastroLog REPL", { output: o.output as never });
  for (const line of o.banner) o.output.write(`${s.style.c.dim(line)}\n`);
  o.output.write("Type 'help' for commands.\n");
  const completer = new Completer(s);
  const hist = o.history.newestFirst();
  try {
    for (const line of o.initial ?? []) await runWithKeys(s, o, line);
    while (!s.exiting) {
      const line = await readLine(s, o, completer, hist);
      if (line === undefined) break;
      if (line.trim() === "") continue;
      o.history.add(line);
      await runWithKeys(s, o, line);
    }
  } finally {
    s.closeStream();
    o.input.setRawMode?.(false);
    o.input.pause();
  }
  outro("Bye.", { output: o.output as never });
  return 0;
}
