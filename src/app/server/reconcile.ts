/**
 * Reconcile: makes the running engine match a config version — the single path for every
 * change (API, CLI, another process, the config file, startup). Opens added stores, closes
 * removed ones (their data stays on disk and comes back when the store is re-added), hands
 * changed policies to running stores (rotation, codec, level, durability; no reopen), swaps
 * the router (counters carried over), retargets retention and reconciles receivers. Runs are
 * serialized; each is state-based (idempotent), the diff is only logged.
 */

import type { LocalHost } from "../../api/local-host.ts";
import type { HostStore } from "../../api/host.ts";
import type { DiffEntry } from "../../config/diff.ts";
import { storeRuntime, type StoreRuntime } from "../../config/runtime.ts";
import type { GastroConfig } from "../../config/schema.ts";
import { errorMessage } from "../../core/errors.ts";
import { Router } from "../../ingest/route/router.ts";
import type { Logger } from "../../observability/logger.ts";
import type { RetentionRunner } from "../../storage/retention/runner.ts";
import type { LivePolicy } from "../../storage/options.ts";
import { storeDir } from "../paths.ts";
import { hostStore, type OpenedStore } from "../stores.ts";
import type { ReceiverManager } from "./receivers.ts";

/** Opens one store as configured (file or memory). */
export type StoreOpener = (rt: StoreRuntime) => Promise<OpenedStore>;

export interface ReconcilerOptions {
  dataDir: string;
  host: LocalHost;
  receivers: ReceiverManager;
  retention: RetentionRunner;
  open: StoreOpener;
  logger: Logger;
}

interface Entry {
  rt: StoreRuntime;
  opened: OpenedStore;
}

export class Reconciler {
  private readonly stores = new Map<string, Entry>();
  private chain: Promise<void> = Promise.resolve();
  private applied = -1;
  private error = "";
  private waiters: { version: number; resolve: (err: string) => void }[] = [];
  private readonly log: Logger;

  constructor(private readonly o: ReconcilerOptions) {
    this.log = o.logger.child("config");
  }

  /** Queues an apply of `config` as `version`; resolves when it (and earlier ones) finished. */
  apply(config: GastroConfig, version: number, diff: readonly DiffEntry[] = []): Promise<void> {
    this.chain = this.chain.then(() => this.run(config, version, diff));
    return this.chain;
  }

  /** Resolves with the apply error ("" = fine) once `version` or a later one is applied. */
  whenApplied(version: number): Promise<string> {
    if (this.applied >= version) return Promise.resolve(this.error);
    return new Promise((resolve) => this.waiters.push({ version, resolve }));
  }

  appliedVersion(): number {
    return Math.max(0, this.applied);
  }

  lastError(): string {
    return this.error;
  }

  /** The open stores (for age rotation sweeps and shutdown). */
  opened(): OpenedStore[] {
    return [...this.stores.values()].map((e) => e.opened);
  }

  /** Waits for queued applies, then closes every store. */
  async close(): Promise<void> {
    await this.chain;
    for (const [name, e] of this.stores) {
      try {
        await e.opened.close();
        this.log.info("store closed", { store: name });
      } catch (err) {
        this.log.error(`store ${name} did not close cleanly: ${errorMessage(err)}`);
      }
    }
    this.stores.clear();
  }

  private async run(config: GastroConfig, version: number, diff: readonly DiffEntry[]): Promise<void> {
    const problems: string[] = [];
    try {
      const wanted = new Map(config.stores.map((s) => [s.name, storeRuntime(s)]));
      await this.closeStores(wanted);
      await this.updateStores(wanted, problems);
      this.routeAndRetain(config);
      for (const p of await this.o.receivers.apply(config.receivers)) problems.push(`receiver ${p.id}: ${p.message}`);
    } catch (err) {
      problems.push(errorMessage(err));
    }
    this.error = problems.join("; ");
    this.applied = version;
    for (const d of diff) this.log.info("changed", { version, op: d.op, path: d.path, ...(d.op === "changed" ? { from: JSON.stringify(d.from), to: JSON.stringify(d.to) } : { value: JSON.stringify(d.value) }) });
    if (this.error) this.log.error(`config version ${version} applied with problems: ${this.error}`, { version });
    else this.log.info("config applied", { version, stores: this.stores.size, changes: diff.length });
    const ready = this.waiters.filter((w) => w.version <= version);
    this.waiters = this.waiters.filter((w) => w.version > version);
    for (const w of ready) w.resolve(this.error);
  }

  /** Closes stores that were removed or changed type (after their appends settled). */
  private async closeStores(wanted: Map<string, StoreRuntime>): Promise<void> {
    const going = [...this.stores].filter(([name, e]) => wanted.get(name)?.type !== e.rt.type);
    if (going.length === 0) return;
    const staying = [...this.stores.values()].filter((e) => !going.some(([, g]) => g === e)).map((e) => e.rt);
    this.o.host.setRouter(Router.compile(staying.map((rt) => ({ store: rt.name, route: rt.route })), this.o.host.currentRouter()));
    for (const [name, e] of going) {
      await this.o.host.removeStore(name);
      this.stores.delete(name);
      await e.opened.close();
      const kept = e.rt.type === "file" ? `; its data stays in ${storeDir(this.o.dataDir, name)} and returns if the store is added again` : "; its records (memory) are gone";
      this.log.warn(`store ${name} closed: ${wanted.has(name) ? "type changed" : "removed from the config"}${kept}`, { store: name });
    }
  }

  /** Opens added stores and hands changed policies to running ones. */
  private async updateStores(wanted: Map<string, StoreRuntime>, problems: string[]): Promise<void> {
    for (const [name, rt] of wanted) {
      const e = this.stores.get(name);
      try {
        if (!e) {
          const opened = await this.o.open(rt);
          this.stores.set(name, { rt, opened });
          this.log.info("store open", { store: name, type: rt.type, chunks: opened.store.chunks().length });
        } else if (policyKey(e.rt) !== policyKey(rt)) {
          await e.opened.reconfigure(livePolicy(rt));
          e.rt = rt;
          this.log.info("store policy changed", { store: name, codec: rt.codec, level: rt.level, durability: rt.durability.kind });
        } else {
          e.rt = rt;
        }
        this.o.host.putStore(this.hostStore(name));
      } catch (err) {
        problems.push(`store ${name}: ${errorMessage(err)}`);
        this.log.error(`store ${name} could not be opened or changed: ${errorMessage(err)}`, { store: name });
      }
    }
  }

  /** New router over the open stores (config order) and new retention targets. */
  private routeAndRetain(config: GastroConfig): void {
    const open = config.stores.filter((s) => this.stores.has(s.name));
    this.o.host.setRouter(Router.compile(open.map((s) => ({ store: s.name, route: s.route })), this.o.host.currentRouter()));
    this.o.retention.setTargets(open.map((s) => {
      const e = this.stores.get(s.name)!;
      return { name: s.name, store: e.opened.store, policy: e.rt.retention };
    }));
  }

  private hostStore(name: string): HostStore {
    const { rt, opened } = this.stores.get(name)!;
    return hostStore(this.o.dataDir, rt, opened);
  }
}

/** The policies a running store takes over through reconfigure(). */
export function livePolicy(rt: StoreRuntime): LivePolicy {
  return { rotation: rt.rotation, durability: rt.durability, codec: rt.codec, level: rt.level };
}

function policyKey(rt: StoreRuntime): string {
  return JSON.stringify(livePolicy(rt));
}
