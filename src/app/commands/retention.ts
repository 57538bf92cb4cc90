/**
 * `gastrolog retention`: per-store retention policies (max age by last write, max bytes of
 * sealed chunks, max chunk count; any one selects a chunk) — show them, change them (a new config version),
 * or sweep now and print what was deleted. Talks to a running server like `gastrolog config`
 * (--addr, or the one holding --data), else works on the data directory directly.
 */

import type { StoreConfig } from "../../config/schema.ts";
import { formatShort } from "../../core/time.ts";
import type { SweepResult } from "../../storage/retention/runner.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { cliAuthor } from "../config-access.ts";
import { ADDR_FLAG, OUTPUT_FLAG, REASON_FLAG, outputIsJson, report, targetOf } from "./config.ts";

export const retentionCommand: Command = {
  name: "retention",
  summary: "Show or change per-store retention policies, or apply them now.",
  usage: "[--data DIR | --addr ADDRESS] show | set STORE KEY=VALUE... | sweep [--store NAME]",
  details:
    "Keys: maxAge (delete sealed chunks whose last write is older, e.g. 7d, 12h), maxBytes (keep\n" +
    "the newest sealed chunks within this size, e.g. 10GB), maxChunks (keep the newest N). 0\n" +
    "disables a key. Conditions combine: a chunk goes when any of them says so. Active chunks\n" +
    "are never deleted. `set` stores a new config version; `sweep` deletes now.",
  flags: [DATA_FLAG, ADDR_FLAG, REASON_FLAG, OUTPUT_FLAG, { name: "store", short: "s", kind: "string", value: "NAME", description: "sweep: only this store." }],
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const json = outputIsJson(args);
    const t = targetOf(args, io);
    try {
      switch (sub) {
        case "show": {
          const stores = (await t.get()).config.stores;
          io.stdout(json ? JSON.stringify(Object.fromEntries(stores.map((s) => [s.name, s.retention]))) + "\n" : renderPolicies(stores));
          return 0;
        }
        case "set": {
          const [store, ...assignments] = rest;
          if (store === undefined || assignments.length === 0) throw new UsageError("set needs STORE KEY=VALUE...");
          const reason = stringFlag(args, "reason") ?? `retention set ${store} ${assignments.join(" ")}`;
          return report(io, await t.setRetention(store, assignments, { author: cliAuthor(io.env), reason }), json);
        }
        case "sweep": {
          const r = await t.sweep(stringFlag(args, "store"));
          io.stdout(json ? JSON.stringify(r) + "\n" : renderSweep(r));
          return r.errors.length === 0 ? 0 : 1;
        }
        case undefined:
          throw new UsageError("missing subcommand (show, set, sweep)");
        default:
          throw new UsageError(`unknown subcommand '${sub}' (show, set, sweep)`);
      }
    } finally {
      t.close();
    }
  },
};

function renderPolicies(stores: readonly StoreConfig[]): string {
  if (stores.length === 0) return "no stores configured\n";
  const rows = stores.map((s) => [s.name, s.type, s.retention.maxAge, s.retention.maxBytes, String(s.retention.maxChunks)]);
  const header = ["STORE", "TYPE", "MAX AGE", "MAX BYTES", "MAX CHUNKS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd() + "\n";
  return line(header) + rows.map(line).join("") + "(0 = no limit)\n";
}

function renderSweep(r: SweepResult): string {
  let out = "";
  for (const d of r.deleted) out += `deleted ${d.store}/${d.id} (${d.reason}, ${d.storedBytes} bytes)\n`;
  for (const e of r.errors) out += `FAILED ${e.store}/${e.id}: ${e.message}\n`;
  const stores = new Set(r.deleted.map((d) => d.store)).size;
  return out + `${r.deleted.length} chunk(s) deleted in ${stores} store(s) at ${formatShort(Date.now() * 1000)} UTC\n`;
}
