/** The REPL command registry: adding a command means one file and one line here. */

import { analyzeCommand } from "./analyze.ts";
import { chunkCommand } from "./chunk.ts";
import { chunksCommand } from "./chunks.ts";
import { configCommand } from "./config.ts";
import type { ReplCommand } from "./command.ts";
import { exitCommand } from "./exit.ts";
import { explainCommand } from "./explain.ts";
import { followCommand } from "./follow.ts";
import { helpCommand } from "./help.ts";
import { indexesCommand } from "./indexes.ts";
import { nextCommand } from "./next.ts";
import { queryCommand } from "./query.ts";
import { receiversCommand } from "./receivers.ts";
import { resetCommand } from "./reset.ts";
import { retentionCommand } from "./retention.ts";
import { setCommand } from "./set.ts";
import { statsCommand } from "./stats.ts";
import { statusCommand } from "./status.ts";
import { storeCommand } from "./store.ts";

export const COMMANDS: readonly ReplCommand[] = [
  queryCommand,
  nextCommand,
  followCommand,
  explainCommand,
  storeCommand,
  setCommand,
  resetCommand,
  chunksCommand,
  chunkCommand,
  indexesCommand,
  analyzeCommand,
  statsCommand,
  statusCommand,
  receiversCommand,
  configCommand,
  retentionCommand,
  helpCommand(() => COMMANDS),
  exitCommand,
];

/** The command named `word` (name or alias), if any. */
export function findCommand(word: string): ReplCommand | undefined {
  return COMMANDS.find((c) => c.name === word || c.aliases?.includes(word));
}

/** Every name and alias, for completion. */
export function commandWords(): string[] {
  return COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}
