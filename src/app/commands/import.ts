/**
 * `gastrolog import`: bulk-loads newline-delimited log files into a store of the config, one
 * record per line, with the line's own timestamp as sourceTs; through the running server when
 * one holds --data (import-target.ts). Progress bar on a TTY, a summary at the end; seals the
 * last chunk by default. SIGINT/SIGTERM stop reading, store what was read, report where the
 * import stands and exit 130/143; `--resume` continues from there (implementation: import-run.ts).
 */

import { DEFAULT_STORE_BATCH } from "../../ingest/import/defaults.ts";
import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG, STORE_FLAG } from "../cli/common-flags.ts";

export const importCommand: Command = {
  name: "import",
  summary: "Load log files (one record per line) into a store.",
  usage: "[--data DIR] [--store NAME] FILE... | --resume",
  details:
    "FILE may be '-' for standard input; .gz and .zst files are decompressed. Each line's own\n" +
    "timestamp (RFC 3339, syslog, Apache, CLF, epoch, ...) becomes the record's source time.\n" +
    "Lines longer than 1 MiB are cut and marked with attr _truncated=<original length>.\n" +
    "A store the config lacks is added to it (a new config version by 'import', route \"\": it\n" +
    "takes explicit appends only). While a server holds --data the records go through it.\n" +
    "SIGINT/SIGTERM stop the import cleanly: what was read is stored, the summary says where it\n" +
    "stopped, and --resume continues there (also after a crash; <data>/imports/<store>.json).",
  flags: [
    DATA_FLAG,
    STORE_FLAG,
    { name: "batch", kind: "string", value: "N", description: "Records per store append.", default: String(DEFAULT_STORE_BATCH) },
    { name: "keep-active", kind: "boolean", description: "Leave the last chunk active (unsealed, unindexed) instead of sealing it." },
    { name: "year", kind: "string", value: "YYYY", description: "Year for timestamps that omit it (syslog).", default: "current year" },
    { name: "quiet", short: "q", kind: "boolean", description: "No progress bar or summary." },
    { name: "resume", kind: "boolean", description: "Continue the last import into --store where it stopped (same files; none given)." },
  ],
  run: lazyRun(() => import("./import-run.ts")),
};
