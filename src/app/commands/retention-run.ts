/** `gastrolog retention` at work (the command and its flags: retention.ts). */

import type { StoreConfig } from "../../config/schema.ts";
import { formatShort } from "../../core/time.ts";
import type { SweepResult } from "../../storage/retention/runner.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { sweptLine } from "../../repl/render/config.ts";
import { cliAuthor } from "../config-access.ts";
import { outputIsJson, report, targetOf } from "./config-run.ts";

export const run: Command["run"] = async (args, io) => {
  const [sub, ...rest] = args.positionals;
  const json = outputIsJson(args);
  const t = await targetOf(args, io, sub === "show" || sub === "sweep");
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
  return out + `${sweptLine(r.stores, r.deleted)} at ${formatShort(Date.now() * 1000)} UTC\n`;
}
