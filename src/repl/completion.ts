/**
 * Tab completion: command names first; then per command its argument kind (commands.ts
 * `completion`): settings and their values, store names, chunk IDs (newest first), or for
 * queries the control arguments plus attribute keys seen in results (sampled once per store
 * with a small newest-first search when none were seen yet). RPC answers are cached briefly.
 */

import { commandWords, findCommand } from "./commands/index.ts";
import type { Session } from "./session.ts";
import { SETTING_KEYS } from "./settings.ts";

const CONTROL_ARGS = ["start=", "end=", "last=", "limit=", "reverse="];
/** How long listed stores and chunks are reused, in ms. */
const CACHE_MS = 2000;
/** Records sampled for attribute keys. */
const KEY_SAMPLE = "limit=200 reverse=true";

type Listing = { at: number; items: string[] };

export class Completer {
  private stores: Listing | undefined;
  private chunks: Listing | undefined;
  private readonly sampled = new Set<string>();

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
      case "query":
        if (fragment.includes("=")) return [[], fragment];
        await this.sampleKeys();
        return pick([...CONTROL_ARGS, ...[...this.s.keys].sort().map((k) => `${k}=`)]);
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

  /** Fills the session's key set from the newest records of the store, once per store. */
  private async sampleKeys(): Promise<void> {
    if (this.s.keys.size > 0 || this.sampled.has(this.s.store)) return;
    this.sampled.add(this.s.store);
    try {
      for await (const r of this.s.client.query.search({ query: { store: this.s.store, text: KEY_SAMPLE }, batchSize: 200 })) {
        for (const h of r.hits) if (h.record) this.s.sawKeys(h.record.attrs);
      }
    } catch {
      // No keys is fine: completion still offers the control arguments.
    }
  }
}
