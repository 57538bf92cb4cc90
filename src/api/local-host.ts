/**
 * An EngineHost over stores that are already open (file or memory): tracks the phase, the
 * drain signal and appends in flight (overall and per store) so a shutdown — or a config
 * change that closes one store — can wait for every acknowledged record. Routes appends
 * without a store through the current Router. The composition root owns opening and closing
 * stores and swaps them in and out with putStore / removeStore / setRouter.
 */

import { LogError } from "../core/errors.ts";
import type { RecordInput, RecordRef } from "../core/record.ts";
import { nowMicros } from "../core/time.ts";
import type { Router, RouterStats } from "../ingest/route/router.ts";
import type { TelemetryView } from "../observability/telemetry.ts";
import type { TokenStore } from "../security/token-store.ts";
import type { BuildInfo, ConfigControl, EngineHost, HostPhase, HostStore, IngestQueueView, ReceiverView, RetentionControl, RoutedAppend } from "./host.ts";

export interface LocalHostOptions {
  stores: readonly HostStore[];
  version: BuildInfo;
  /** Current receivers (default none). */
  receivers?: () => readonly ReceiverView[];
  /** The receivers' shared ingest queue (default none). */
  ingestQueue?: () => IngestQueueView;
  /** Called once by requestShutdown(); the owner runs the actual shutdown. */
  onShutdownRequest?: (reason: string) => void;
  config?: ConfigControl;
  retention?: RetentionControl;
  tokens?: TokenStore;
  /** Telemetry for status (default: none). */
  telemetry?: () => readonly TelemetryView[];
  observer?: HostObserver;
}

/** Instrumentation hooks (metrics, telemetry); each must be cheap. */
export interface HostObserver {
  /** One store append resolved: records, their raw bytes and the time it took. */
  appended?(store: string, records: number, rawBytes: number, millis: number): void;
  /** Routed records that matched no store (`sample`: the attrs of the first of them). */
  unrouted?(records: number, sample: Readonly<Record<string, string>>): void;
}

export class LocalHost implements EngineHost {
  readonly startedAt = nowMicros();
  readonly config: ConfigControl | undefined;
  readonly retention: RetentionControl | undefined;
  readonly tokens: TokenStore | undefined;
  private current: HostPhase = "starting";
  private readonly drain = new AbortController();
  private sorted: HostStore[] = [];
  private readonly byName = new Map<string, HostStore>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly perStore = new Map<string, Set<Promise<unknown>>>();
  private router: Router | undefined;
  private shutdownRequested = false;

  constructor(private readonly opts: LocalHostOptions) {
    for (const s of opts.stores) this.byName.set(s.name, s);
    this.resort();
    this.config = opts.config;
    this.retention = opts.retention;
    this.tokens = opts.tokens;
  }

  get drainSignal(): AbortSignal {
    return this.drain.signal;
  }

  stores(): readonly HostStore[] {
    return this.sorted;
  }

  store(name: string): HostStore | undefined {
    return this.byName.get(name);
  }

  /** Adds a store, or replaces the entry of a store with this name (new settings). */
  putStore(s: HostStore): void {
    this.byName.set(s.name, s);
    this.resort();
  }

  /**
   * Takes a store out: new appends to it fail with not_found; resolves when the appends to it
   * already in flight have settled (then the owner may close it).
   */
  async removeStore(name: string): Promise<void> {
    if (!this.byName.delete(name)) return;
    this.resort();
    const pending = this.perStore.get(name);
    while (pending && pending.size > 0) await Promise.allSettled([...pending]);
  }

  /** Routes appends without a store from now on (undefined: everything goes to "default"). */
  setRouter(router: Router | undefined): void {
    this.router = router;
  }

  /** The router in use (to carry its counters over when the routes change). */
  currentRouter(): Router | undefined {
    return this.router;
  }

  routing(): RouterStats | undefined {
    return this.router?.stats();
  }

  telemetry(): readonly TelemetryView[] {
    return this.opts.telemetry?.() ?? [];
  }

  receivers(): readonly ReceiverView[] {
    return this.opts.receivers?.() ?? [];
  }

  ingestQueue(): IngestQueueView | undefined {
    return this.opts.ingestQueue?.();
  }

  version(): BuildInfo {
    return this.opts.version;
  }

  phase(): HostPhase {
    return this.current;
  }

  /** Marks the host ready (stores open, receivers bound). */
  markReady(): void {
    if (this.current === "starting") this.current = "ready";
  }

  /** Enters "draining": not ready, Follow streams end, new appends are refused. */
  beginDrain(): void {
    this.current = "draining";
    this.drain.abort(new LogError("unavailable", "server is shutting down"));
  }

  markStopped(): void {
    this.current = "stopped";
  }

  async append(store: string, batch: readonly RecordInput[]): Promise<RecordRef[]> {
    this.refuseWhileDraining(`append to store '${store}'`);
    return this.ingest(store, batch);
  }

  async appendRouted(batch: readonly RecordInput[], mayWrite?: (store: string) => boolean): Promise<RoutedAppend> {
    this.refuseWhileDraining("append");
    return this.ingestRouted(batch, mayWrite);
  }

  /**
   * Appends for the host's own receivers: still accepted while draining (their queues drain
   * into the stores), refused only once stopped. Tracked like API appends.
   */
  async ingest(store: string, batch: readonly RecordInput[]): Promise<RecordRef[]> {
    if (this.current === "stopped") throw new LogError("unavailable", `stores are closed; append to store '${store}' refused`);
    const s = this.byName.get(store);
    if (!s) throw new LogError("not_found", `unknown store '${store}'`);
    const t0 = performance.now();
    const p = s.source.store.append(batch);
    let mine = this.perStore.get(store);
    if (!mine) this.perStore.set(store, (mine = new Set()));
    this.inFlight.add(p);
    mine.add(p);
    try {
      const refs = await p;
      const appended = this.opts.observer?.appended;
      if (appended) {
        let bytes = 0;
        for (let i = 0; i < batch.length; i++) bytes += batch[i]!.raw.length;
        appended(store, batch.length, bytes, performance.now() - t0);
      }
      return refs;
    } finally {
      this.inFlight.delete(p);
      mine.delete(p);
    }
  }

  /**
   * ingest() through the router: one append per store reached (in parallel), each holding that
   * store's records in batch order. When one store's append fails the call fails, although
   * the other stores may have stored their copies.
   */
  async ingestRouted(batch: readonly RecordInput[], mayWrite?: (store: string) => boolean): Promise<RoutedAppend> {
    const router = this.router;
    if (!router) {
      if (mayWrite && !mayWrite("default")) throw refused("default", batch.length);
      const refs = await this.ingest("default", batch);
      return { copies: refs.map((ref) => [{ store: "default", ref }]), unrouted: 0 };
    }
    const groups = new Map<string, { index: number[]; records: RecordInput[] }>();
    let unrouted = 0;
    let sample: RecordInput | undefined;
    for (let i = 0; i < batch.length; i++) {
      const names = router.route(batch[i]!.attrs);
      if (names.length === 0 && unrouted++ === 0) sample = batch[i];
      for (const n of names) {
        let g = groups.get(n);
        if (!g) groups.set(n, (g = { index: [], records: [] }));
        g.index.push(i);
        g.records.push(batch[i]!);
      }
    }
    if (sample) this.opts.observer?.unrouted?.(unrouted, sample.attrs);
    const entries = [...groups];
    const denied = mayWrite && entries.find(([store]) => !mayWrite(store));
    if (denied) throw refused(denied[0], denied[1].records.length);
    const results = await Promise.all(entries.map(([name, g]) => this.ingest(name, g.records)));
    const copies: RoutedAppend["copies"] = batch.map(() => []);
    entries.forEach(([store, g], k) => results[k]!.forEach((ref, j) => copies[g.index[j]!]!.push({ store, ref })));
    return { copies, unrouted };
  }

  /** Resolves when every append started so far has settled. */
  async appendsSettled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  requestShutdown(reason: string): boolean {
    if (this.shutdownRequested || this.current === "draining" || this.current === "stopped") return false;
    this.shutdownRequested = true;
    this.opts.onShutdownRequest?.(reason);
    return true;
  }

  private refuseWhileDraining(what: string): void {
    if (this.current === "draining" || this.current === "stopped") {
      throw new LogError("unavailable", `server is shutting down; ${what} refused, retry against the restarted server`);
    }
  }

  private resort(): void {
    this.sorted = [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function refused(store: string, records: number): LogError {
  return new LogError("permission_denied", `${records} record(s) route to store '${store}', which this caller may not write to; nothing was appended (name a permitted store, or ask for ingest on '${store}')`);
}
