/**
 * `gastrolog config`: show, change and undo the versioned configuration: show, set KEY=VALUE,
 * history, diff, rollback, export, apply FILE (implementation: config-run.ts). Talks to a
 * running server (--addr, or the one holding --data) or works directly on
 * `<data>/config.sqlite` when no server holds it; every change is validated and stored as a
 * new version with author and reason.
 */

import { lazyRun, type Command, type FlagSpec } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { CLIENT_FLAGS } from "../cli/credentials.ts";

/** Flags shared with `gastrolog retention`. */
export const REASON_FLAG: FlagSpec = { name: "reason", short: "m", kind: "string", value: "TEXT", description: "Why the change is made (kept in the history)." };
export const OUTPUT_FLAG: FlagSpec = { name: "output", short: "o", kind: "string", value: "text|json", description: "Output format.", default: "text" };
export const ADDR_FLAG: FlagSpec = {
  name: "addr",
  kind: "string",
  value: "ADDRESS",
  description: "Running server: socket path, unix:PATH or http(s)://host:port.",
  default: "the server holding --data, else --data's config file directly",
};

export const configCommand: Command = {
  name: "config",
  summary: "Show, change, diff and roll back the versioned configuration.",
  usage: "[--data DIR | --addr ADDRESS] show|set KEY=VALUE...|history|diff V1 [V2]|rollback V|export [FILE]|apply FILE",
  details:
    "show [--version N]   the current (or an older) config as JSON\n" +
    "set KEY=VALUE...     change fields; KEY is a path like server.logLevel or\n" +
    "                     stores[prod].retention.maxAge; VALUE is JSON or plain text;\n" +
    "                     null deletes; stores[new]={...} adds a store (removing the\n" +
    "                     last store needs --force)\n" +
    "history [--limit N]  versions, newest first\n" +
    "diff V1 [V2]         what changed from V1 to V2 (default: current)\n" +
    "rollback V           store version V's config as a new version\n" +
    "export [FILE]        the current config as JSON (stdout or FILE)\n" +
    "apply FILE           make a JSON or TOML file the config (a new version if it differs)\n" +
    "While a server holds --data the command talks to it (its socket from <data>/server.json);\n" +
    "--addr names a server explicitly. File format: docs/config.md.",
  flags: [
    DATA_FLAG,
    ADDR_FLAG,
    ...CLIENT_FLAGS,
    REASON_FLAG,
    OUTPUT_FLAG,
    { name: "version", kind: "string", value: "N", description: "show: print this version instead of the current one." },
    { name: "limit", short: "n", kind: "string", value: "N", description: "history: most versions to list (0 = all).", default: "0" },
    { name: "force", kind: "boolean", description: "set, rollback, apply: allow a config without stores (every record would be dropped)." },
  ],
  run: lazyRun(() => import("./config-run.ts")),
};
