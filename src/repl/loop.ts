/**
 * The interactive loop: a line editor on node:readline (clack's text prompt has neither tab
 * completion nor history), one fresh readline per prompt so nothing echoes while a command
 * runs. While a command runs the terminal stays raw: Ctrl-C cancels it (any key stops a
 * follow) and the prompt comes back. Keys typed while no prompt is open — the rest of a pasted
 * chunk, keys typed during a command — are replayed into the next prompt (type-ahead). Ctrl-D
 * on an empty line, `exit` or `quit` leave.
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

/**
 * Collects the keypresses nobody reads between two prompts (readline has the input decode
 * keypresses once, for good; closing one line editor would drop the rest of a chunk that held
 * two lines) and replays them into the next prompt. Ctrl-C, and keys while `dropping` (the key
 * that stops a follow), are not replayed.
 */
class TypeAhead {
  private keys: string[] = [];
  private listening = false;
  dropping = false;

  constructor(private readonly input: TtyInput) {}

  private readonly onKey = (_s: string | undefined, key: { sequence?: string } | undefined): void => {
    const seq = key?.sequence;
    if (seq !== undefined && seq !== "\x03" && !this.dropping) this.keys.push(seq);
  };

  /** Starts collecting; call before the line editor closes. */
  collect(): void {
    if (this.listening) return;
    this.input.on("keypress", this.onKey);
    this.listening = true;
  }

  /** Stops collecting and types what was collected into `rl`. */
  replay(rl: readline.Interface): void {
    this.input.off("keypress", this.onKey);
    this.listening = false;
    this.dropping = false;
    for (const k of this.keys.splice(0)) rl.write(k);
  }
}

/** Reads one line; "" after Ctrl-C at the prompt, undefined on Ctrl-D / end of input. */
function readLine(s: Session, o: InteractiveOptions, completer: Completer, hist: string[], ahead: TypeAhead): Promise<string | undefined> {
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
      ahead.collect();
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
    ahead.replay(rl);
  });
}

/** Runs `line` with Ctrl-C (and, for follow, any key) wired to its abort signal. */
async function runWithKeys(s: Session, o: InteractiveOptions, line: string, ahead: TypeAhead): Promise<void> {
  const abort = new AbortController();
  const anyKey = parseLine(line)?.command?.anyKeyStops === true;
  ahead.dropping = anyKey;
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
  const ahead = new TypeAhead(o.input);
  try {
    for (const line of o.initial ?? []) await runWithKeys(s, o, line, ahead);
    while (!s.exiting) {
      const line = await readLine(s, o, completer, hist, ahead);
      if (line === undefined) break;
      if (line.trim() === "") continue;
      o.history.add(line);
      await runWithKeys(s, o, line, ahead);
    }
  } finally {
    s.closeStream();
    o.input.setRawMode?.(false);
    o.input.pause();
  }
  outro("Bye.", { output: o.output as never });
  return 0;
}
