/**
 * `gastrolog retention`: per-store retention policies (max age by last write, max bytes of
 * sealed chunks, max chunk count; any one selects a chunk) — show them, change them (a new config version),
 * or sweep now and print what was deleted (implementation: retention-run.ts). Talks to a
 * running server like `gastrolog config` (--addr, or the one holding --data), else works on
 * the data directory directly.
 */

import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { CLIENT_FLAGS } from "../cli/credentials.ts";
import { ADDR_FLAG, OUTPUT_FLAG, REASON_FLAG } from "./config.ts";

export const retentionCommand: Command = {
  name: "retention",
  summary: "Show or change per-store retention policies, or apply them now.",
  usage: "[--data DIR | --addr ADDRESS] show | set STORE KEY=VALUE... | sweep [--store NAME]",
  details:
    "Keys: maxAge (delete sealed chunks whose last write is older, e.g. 7d, 12h), maxBytes (keep\n" +
    "the newest sealed chunks within this size, e.g. 10GB), maxChunks (keep the newest N). 0\n" +
    "disables a key. Conditions combine: a chunk goes when any of them says so. Active chunks\n" +
    "are never deleted. `set` stores a new config version; `sweep` deletes now.",
  flags: [DATA_FLAG, ADDR_FLAG, ...CLIENT_FLAGS, REASON_FLAG, OUTPUT_FLAG, { name: "store", short: "s", kind: "string", value: "NAME", description: "sweep: only this store." }],
  run: lazyRun(() => import("./retention-run.ts")),
};
