/** `help` / `?`: the fixed help text over the registered commands. */

import { renderHelp } from "../render/help.ts";
import type { ReplCommand } from "./command.ts";

/** The help command listing `all()` (the registry, which includes this command). */
export function helpCommand(all: () => readonly ReplCommand[]): ReplCommand {
  return {
    name: "help",
    aliases: ["?"],
    usage: "",
    summary: "This text.",
    completion: "command",
    async run(s) {
      for (const line of renderHelp(all())) s.note(line);
      return true;
    },
  };
}
