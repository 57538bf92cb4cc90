/** `exit` / `quit`: ends the session (embedded mode then shuts the engine down). */

import type { ReplCommand } from "./command.ts";

export const exitCommand: ReplCommand = {
  name: "exit",
  aliases: ["quit"],
  usage: "",
  summary: "Leave the REPL (Ctrl-D too).",
  completion: "none",
  async run(s) {
    s.closeStream();
    s.exiting = true;
    return true;
  },
};
