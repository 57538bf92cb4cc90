/** `gastrolog version`: version, Bun version and build commit. */

import { versionLine } from "../build-info.ts";
import type { Command } from "../cli/command.ts";

export const versionCommand: Command = {
  name: "version",
  summary: "Print the version, the Bun version and the build commit.",
  usage: "",
  flags: [],
  async run(_args, io) {
    io.stdout(versionLine() + "\n");
    return 0;
  },
};
