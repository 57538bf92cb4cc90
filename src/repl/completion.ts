/**
 * Tab completion: command names first; then per command its argument kind (commands.ts
 * `completion`): settings and their values, store names, chunk IDs (newest first),
 * subcommands (and a store name after `retention set|sweep`), or for
 * queries the control arguments plus attribute keys: the store's keys from
 * StoreService.ListAttributeKeys (falling back to a small newest-first search when the server
 * lacks it) and the keys seen in results. RPC answers are cached briefly.
 */

import { commandWords, findCommand } from "./commands/index.ts";
import type { Session } from "./session.ts";
import { SETTING_KEYS } from "./settings.ts";

const CONTROL_ARGS = ["start=", "end=", "last=", "limit=", "reverse="];
/** How long listed stores and chunks are reused, in ms. */
const CACHE_MS = 2000;
/** How long a store's attribute keys are reused, in ms. */
const KEYS_CACHE_MS = 10_000;
/** Records sampled for attribute keys when ListAttributeKeys is not available. */
const KEY_SAMPLE = "limit=200 reverse=true";

type Listing = { at: number; items: string[] };

export class Completer {
  private stores: Listing | undefined;
  private chunks: Listing | undefined;
  private readonly storeKeys = new Map<string, Listing>();

  constructor(
    private readonly s: Session,
    private readonly now: () => number = Date.now,
  ) {}

  /** readline's completer contract: [candidates, the fragment they replace]. */
  async complete(line: string): Promise<[string[], string]> {
    const lead = line.trimStart();
    const sp = lead.search(/\s/);
    if (sp < 0) return [commandWords().filter((w) => w.startsWith(lead)).sort(), lead];
    const cmd = findCommand(lead.slice(0, sp));
    const fragment = line.slice(line.search(/\S*$/));
    const pick = (xs: readonly string[]): [string[], string] => [xs.filter((x) => x.startsWith(fragment)), fragment];
    switch (cmd?.completion) {
      case "command":
        return pick(commandWords().sort());
      case "setting": {
        const eq = fragment.indexOf("=");
        if (eq < 0) return pick(Object.keys(SETTING_KEYS).map((k) => `${k}=`));
        const values = SETTING_KEYS[fragment.slice(0, eq) as keyof typeof SETTING_KEYS] ?? [];
        return pick(values.map((v) => `${fragment.slice(0, eq)}=${v}`));
      }
      case "store":
        return pick(await this.list("stores"));
      case "chunk":
        return pick(await this.list("chunks"));
      case "subcommand": {
        const before = line.slice(0, line.length - fragment.length).trim().split(/\s+/).slice(1);
        if (before.length === 0) return pick(Object.keys(cmd.subcommands ?? {}));
        if (before.length === 1 && cmd.subcommands?.[before[0]!] === "store") return pick(await this.list("stores"));
        return [[], fragment];
      }
      case "query":
        if (fragment.includes("=")) return [[], fragment];
        return pick([...CONTROL_ARGS, ...(await this.keys()).map((k) => `${k}=`)]);
      default:
        return [[], fragment];
    }
  }

  private async list(kind: "stores" | "chunks"): Promise<string[]> {
    const cached = kind === "stores" ? this.stores : this.chunks;
    if (cached && this.now() - cached.at < CACHE_MS) return cached.items;
    let items: string[] = [];
    try {
      if (kind === "stores") items = (await this.s.client.store.listStores({})).stores.map((x) => x.name);
      else items = (await this.s.client.store.listChunks({})).chunks.map((c) => c.id).sort().reverse();
    } catch {
      items = [];
    }
    const fresh = { at: this.now(), items };
    if (kind === "stores") this.stores = fresh;
    else this.chunks = fresh;
    return items;
  }

  /** The current store's attribute keys plus those seen in results, sorted. */
  private async keys(): Promise<string[]> {
    const store = this.s.store;
    let cached = this.storeKeys.get(store);
    if (!cached || this.now() - cached.at >= KEYS_CACHE_MS) {
      cached = { at: this.now(), items: await this.fetchKeys(store) };
      this.storeKeys.set(store, cached);
    }
    return [...new Set([...cached.items, ...this.s.keys])].sort();
  }

  private async fetchKeys(store: string): Promise<string[]> {
    try {
      return (await this.s.client.store.listAttributeKeys({ store })).keys;
    } catch {
      return this.sampleKeys(store);
    }
  }

  /** Fallback: the keys of the store's newest records (servers without ListAttributeKeys). */
  private async sampleKeys(store: string): Promise<string[]> {
    const keys = new Set<string>();
    try {
      for await (const r of this.s.client.query.search({ query: { store, text: KEY_SAMPLE }, batchSize: 200 })) {
        for (const h of r.hits) for (const k in h.record?.attrs ?? {}) keys.add(k);
      }
    } catch {
      // No keys is fine: completion still offers the control arguments.
    }
    return [...keys];
  }
}
