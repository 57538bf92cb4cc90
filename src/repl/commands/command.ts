/**
 * The REPL command contract: one file per command under commands/, listed once in
 * commands/index.ts. A command prints through the session and returns false when it failed
 * (scripts then exit non-zero).
 */

import type { Session } from "../session.ts";

/** What tab completion offers after the command name. */
export type ArgCompletion = "none" | "query" | "chunk" | "store" | "setting" | "command" | "subcommand";

export interface ReplCommand {
  name: string;
  aliases?: readonly string[];
  /** Arguments for help, e.g. "[N]". */
  usage: string;
  summary: string;
  completion: ArgCompletion;
  /** With completion "subcommand": the subcommands, and what completes the word after each. */
  subcommands?: Readonly<Record<string, ArgCompletion>>;
  /** Runs until done, or until `signal` aborts (Ctrl-C; any key during follow). */
  run(s: Session, args: string, signal: AbortSignal): Promise<boolean>;
  /** Any key press (not only Ctrl-C) stops it (follow). */
  anyKeyStops?: boolean;
}
