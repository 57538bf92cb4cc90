/** The registry of subcommands: adding a command means one file and one line here. */

import type { Command } from "../cli/command.ts";
import { configCommand } from "./config.ts";
import { healthCommand } from "./health.ts";
import { importCommand } from "./import.ts";
import { queryCommand } from "./query.ts";
import { replCommand } from "./repl.ts";
import { retentionCommand } from "./retention.ts";
import { serveCommand } from "./serve.ts";
import { tokenCommand } from "./token.ts";
import { versionCommand } from "./version.ts";

export const commands: readonly Command[] = [configCommand, healthCommand, importCommand, queryCommand, replCommand, retentionCommand, serveCommand, tokenCommand, versionCommand];
