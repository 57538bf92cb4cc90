/** `gastrolog import` at work (the command and its flags: import.ts). */

import { DEFAULT_STORE_BATCH } from "../../ingest/import/defaults.ts";
import { importFiles } from "../../ingest/import/import-files.ts";
import { renderProgress, renderSummary } from "../../ingest/import/render.ts";
import { systemClock } from "../../core/time.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { defaultDataDir } from "../paths.ts";
import { openStore } from "../stores.ts";

export const run: Command["run"] = async (args, io) => {
  if (args.positionals.length === 0) throw new UsageError("no FILE given (use '-' for standard input)");
  const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
  const storeBatch = intFlag(args, "batch", DEFAULT_STORE_BATCH);
  if (storeBatch < 1) throw new UsageError("flag --batch needs a positive integer");
  const year = args.flags.year === undefined ? undefined : intFlag(args, "year", 0);
  const quiet = args.flags.quiet === true;
  const opened = await openStore(dataDir, stringFlag(args, "store", "default")!);
  const progress = !quiet && io.isTTY;
  try {
    const summary = await importFiles(opened.store, args.positionals, {
      storeBatch,
      clock: systemClock,
      year,
      onProgress: progress ? (p) => io.stderr(`\r\x1b[2K${renderProgress(p)}`) : undefined,
      seal: args.flags["keep-active"] !== true,
    });
    if (progress) io.stderr("\r\x1b[2K");
    if (!quiet) io.stdout(`${renderSummary(summary)}\n${"store".padEnd(12)}${opened.store.chunks().length} chunks in ${dataDir}\n`);
  } finally {
    await opened.close();
  }
  return 0;
};
