/** `reset`: closes the open query stream. */

import type { ReplCommand } from "./command.ts";

export const resetCommand: ReplCommand = {
  name: "reset",
  usage: "",
  summary: "Forget the current query.",
  completion: "none",
  async run(s) {
    s.closeStream();
    s.note("Query state cleared.");
    return true;
  },
};
