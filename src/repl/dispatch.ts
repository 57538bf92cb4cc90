/** One input line -> the command it names, run with its argument text. */

import { findCommand } from "./commands/index.ts";
import type { ReplCommand } from "./commands/command.ts";
import type { Session } from "./session.ts";

/** The command and argument text of `line`; undefined for blank lines and `#` comments. */
export function parseLine(line: string): { word: string; args: string; command: ReplCommand | undefined } | undefined {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return undefined;
  const sp = text.search(/\s/);
  const word = sp < 0 ? text : text.slice(0, sp);
  return { word, args: sp < 0 ? "" : text.slice(sp + 1).trim(), command: findCommand(word) };
}

/** Runs one line; false when the command failed or is unknown. */
export async function runLine(s: Session, line: string, signal: AbortSignal): Promise<boolean> {
  const p = parseLine(line);
  if (!p) return true;
  if (!p.command) return s.fail(`Unknown command: ${p.word}. Type 'help' for commands.`);
  return p.command.run(s, p.args, signal);
}
