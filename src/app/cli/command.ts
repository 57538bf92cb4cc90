/**
 * The command-line contract: each subcommand is one file under app/commands/ exporting a
 * Command (name, flags, help), listed once in app/commands/index.ts; its implementation sits
 * beside it in `<name>-run.ts`, loaded only when the command runs (lazyRun), so `--help`,
 * `version` and every other command start without loading what they do not use. Flags are
 * declared so `--help` can explain every one and unknown flags are rejected with exit code 2.
 */

export interface FlagSpec {
  /** Long name without dashes, e.g. "data". */
  name: string;
  /** One-letter alias without dash, e.g. "d". */
  short?: string;
  /** "boolean" flags take no value; "string" flags take one; "list" flags repeat. */
  kind: "boolean" | "string" | "list";
  /** Placeholder shown in help, e.g. "DIR". */
  value?: string;
  description: string;
  default?: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Streams and environment a command may use; injected so commands are testable. */
export interface CommandIO {
  /**
   * Writes output (bytes as they are), returning once it is written, so a slow reader slows
   * the command down rather than memory filling up. Throws OutputClosedError once the reader
   * is gone (`| head -1`); runCli ends the command quietly then.
   */
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string) => void;
  stdin: ReadableStream<Uint8Array>;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line after the command name, e.g. "[--data DIR] FILE...". */
  usage: string;
  /** Extra help paragraphs. */
  details?: string;
  flags: FlagSpec[];
  /** Returns the process exit code. */
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}

/**
 * A Command.run that imports the command's implementation module on first use (with
 * `bun build --splitting` each such module is its own chunk, read and run only then).
 */
export function lazyRun(load: () => Promise<{ run: Command["run"] }>): Command["run"] {
  return async (args, io) => (await load()).run(args, io);
}

/** Thrown for bad command lines; main prints it with usage hints and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
