/**
 * `gastrolog import`: bulk-loads newline-delimited log files into a file store, one record
 * per line, with the line's own timestamp as sourceTs; progress bar on a TTY; a summary at the
 * end. Seals the last chunk by default so the data is compressed and indexed when it returns.
 */

import { importFiles, DEFAULT_STORE_BATCH } from "../../ingest/import/import-files.ts";
import { renderProgress, renderSummary } from "../../ingest/import/render.ts";
import { systemClock } from "../../core/time.ts";
import { intFlag, stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG, STORE_FLAG } from "../cli/common-flags.ts";
import { defaultDataDir } from "../paths.ts";
import { openStore } from "../stores.ts";

export const importCommand: Command = {
  name: "import",
  summary: "Load log files (one record per line) into a store.",
  usage: "[--data DIR] [--store NAME] FILE...",
  details:
    "FILE may be '-' for standard input; .gz and .zst files are decompressed. Each line's own\n" +
    "timestamp (RFC 3339, syslog, Apache, CLF, epoch, ...) becomes the record's source time.\n" +
    "Lines longer than 1 MiB are cut and marked with attr _truncated=<original length>.",
  flags: [
    DATA_FLAG,
    STORE_FLAG,
    { name: "batch", kind: "string", value: "N", description: "Records per store append.", default: String(DEFAULT_STORE_BATCH) },
    { name: "keep-active", kind: "boolean", description: "Leave the last chunk active (unsealed, unindexed) instead of sealing it." },
    { name: "year", kind: "string", value: "YYYY", description: "Year for timestamps that omit it (syslog).", default: "current year" },
    { name: "quiet", short: "q", kind: "boolean", description: "No progress bar or summary." },
  ],
  async run(args, io) {
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
  },
};
