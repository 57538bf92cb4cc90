/**
 * `gastrolog retention`: per-store retention policies (max age by last write, max bytes of
 * sealed chunks, max chunk count; spec B5) — show them, change them (a new config version),
 * or sweep the file stores of a data directory now and print what was deleted.
 */

import { existsSync } from "node:fs";
import { LogError } from "../../core/errors.ts";
import { formatShort } from "../../core/time.ts";
import { setPath } from "../../config/json-path.ts";
import { storeRuntime } from "../../config/runtime.ts";
import type { StoreConfig } from "../../config/schema.ts";
import { RetentionRunner, type RetentionTarget } from "../../storage/retention/runner.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { cliAuthor, readConfig, writeConfig } from "../config-access.ts";
import { defaultDataDir, storeDir } from "../paths.ts";
import { openStore, type OpenedStore } from "../stores.ts";
import { OUTPUT_FLAG, REASON_FLAG, outputIsJson, report } from "./config.ts";

const KEYS = ["maxAge", "maxBytes", "maxChunks"] as const;

export const retentionCommand: Command = {
  name: "retention",
  summary: "Show or change per-store retention policies, or apply them now.",
  usage: "[--data DIR] show | set STORE KEY=VALUE... | sweep [--store NAME]",
  details:
    "Keys: maxAge (delete sealed chunks whose last write is older, e.g. 7d, 12h), maxBytes (keep\n" +
    "the newest sealed chunks within this size, e.g. 10GB), maxChunks (keep the newest N). 0\n" +
    "disables a key. Conditions combine: a chunk goes when any of them says so. Active chunks\n" +
    "are never deleted. `set` stores a new config version; `sweep` deletes now (file stores).",
  flags: [DATA_FLAG, REASON_FLAG, OUTPUT_FLAG, { name: "store", short: "s", kind: "string", value: "NAME", description: "sweep: only this store." }],
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
    const json = outputIsJson(args);
    switch (sub) {
      case "show": {
        const stores = readConfig(dataDir, (s) => s.current().config.stores);
        io.stdout(json ? JSON.stringify(Object.fromEntries(stores.map((s) => [s.name, s.retention]))) + "\n" : renderPolicies(stores));
        return 0;
      }
      case "set": {
        const [store, ...assignments] = rest;
        if (store === undefined || assignments.length === 0) throw new UsageError("set needs STORE KEY=VALUE...");
        const r = writeConfig(dataDir, (s) => {
          const cur = s.current();
          if (!cur.config.stores.some((x) => x.name === store)) throw new LogError("not_found", `no store '${store}' in the config (stores: ${cur.config.stores.map((x) => x.name).join(", ") || "none"})`);
          let doc: unknown = cur.config;
          for (const a of assignments) {
            const [key, value] = a.split(/=(.*)/s) as [string, string | undefined];
            if (!(KEYS as readonly string[]).includes(key) || value === undefined) throw new UsageError(`expected KEY=VALUE with KEY one of ${KEYS.join(", ")}, got '${a}'`);
            doc = setPath(doc, `stores[${store}].retention.${key}`, key === "maxChunks" && /^\d+$/.test(value) ? Number(value) : value);
          }
          const reason = stringFlag(args, "reason") ?? `retention set ${store} ${assignments.join(" ")}`;
          const v = s.apply(doc, { author: cliAuthor(io.env), reason, ifVersion: cur.version });
          return { version: v, changed: v.version !== cur.version };
        });
        return report(io, r.version, json, r.changed);
      }
      case "sweep":
        return sweep(dataDir, stringFlag(args, "store"), json, io.stdout);
      case undefined:
        throw new UsageError("missing subcommand (show, set, sweep)");
      default:
        throw new UsageError(`unknown subcommand '${sub}' (show, set, sweep)`);
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

/** Opens the configured file stores that exist on disk and applies their policies once. */
async function sweep(dataDir: string, only: string | undefined, json: boolean, out: (t: string) => void): Promise<number> {
  const stores = readConfig(dataDir, (s) => s.current().config.stores).filter((s) => only === undefined || s.name === only);
  if (only !== undefined && stores.length === 0) throw new LogError("not_found", `no store '${only}' in the config`);
  const opened: OpenedStore[] = [];
  try {
    const targets: RetentionTarget[] = [];
    for (const s of stores) {
      if (s.type !== "file" || !existsSync(storeDir(dataDir, s.name))) continue;
      const rt = storeRuntime(s);
      const o = await openStore(dataDir, s.name, { codec: rt.codec, level: rt.level, rotation: rt.rotation, durability: rt.durability });
      opened.push(o);
      targets.push({ name: s.name, store: o.store, policy: rt.retention });
    }
    const r = await new RetentionRunner(targets).sweepNow();
    if (json) out(JSON.stringify(r) + "\n");
    else {
      for (const d of r.deleted) out(`deleted ${d.store}/${d.id} (${d.reason}, ${d.storedBytes} bytes)\n`);
      for (const e of r.errors) out(`FAILED ${e.store}/${e.id}: ${e.message}\n`);
      out(`${r.deleted.length} chunk(s) deleted in ${targets.length} store(s) at ${formatShort(Date.now() * 1000)} UTC\n`);
    }
    return r.errors.length === 0 ? 0 : 1;
  } finally {
    for (const o of opened) await o.close();
  }
}
