/**
 * The command-line contract: each subcommand is one file under app/commands/ exporting a
 * Command, listed once in app/commands/index.ts. Flags are declared so `--help` can explain
 * every one and unknown flags are rejected with exit code 2.
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
  stdout: (text: string) => void;
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

/** Thrown for bad command lines; main prints it with usage hints and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
