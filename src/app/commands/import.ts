/**
 * `gastrolog import`: bulk-loads newline-delimited log files into a file store, one record
 * per line, with the line's own timestamp as sourceTs; progress bar on a TTY; a summary at the
 * end (implementation: import-run.ts). Seals the last chunk by default so the data is
 * compressed and indexed when it returns.
 */

import { DEFAULT_STORE_BATCH } from "../../ingest/import/defaults.ts";
import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG, STORE_FLAG } from "../cli/common-flags.ts";

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
  run: lazyRun(() => import("./import-run.ts")),
};
