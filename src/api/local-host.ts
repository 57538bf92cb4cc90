/**
 * An EngineHost over stores that are already open (file or memory): tracks the phase, the
 * drain signal and appends in flight so a shutdown can wait for every acknowledged record.
 * The composition root (server, REPL embedded mode) owns opening and closing the stores.
 */

import { LogError } from "../core/errors.ts";
import type { RecordInput, RecordRef } from "../core/record.ts";
import { nowMicros } from "../core/time.ts";
import type { EngineHost, HostPhase, HostStore, ReceiverView, VersionInfo } from "./host.ts";

export interface LocalHostOptions {
  stores: readonly HostStore[];
  version: VersionInfo;
  /** Current receivers (default none). */
  receivers?: () => readonly ReceiverView[];
  /** Called once by requestShutdown(); the owner runs the actual shutdown. */
  onShutdownRequest?: (reason: string) => void;
}

export class LocalHost implements EngineHost {
  readonly startedAt = nowMicros();
  private current: HostPhase = "starting";
  private readonly drain = new AbortController();
  private readonly sorted: HostStore[];
  private readonly byName: Map<string, HostStore>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private shutdownRequested = false;

  constructor(private readonly opts: LocalHostOptions) {
    this.sorted = [...opts.stores].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.byName = new Map(this.sorted.map((s) => [s.name, s]));
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

  receivers(): readonly ReceiverView[] {
    return this.opts.receivers?.() ?? [];
  }

  version(): VersionInfo {
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
    if (this.current === "draining" || this.current === "stopped") {
      throw new LogError("unavailable", `server is shutting down; append to store '${store}' refused, retry against the restarted server`);
    }
    return this.ingest(store, batch);
  }

  /**
   * Appends for the host's own receivers: still accepted while draining (their queues drain
   * into the stores), refused only once stopped. Tracked like API appends.
   */
  async ingest(store: string, batch: readonly RecordInput[]): Promise<RecordRef[]> {
    if (this.current === "stopped") throw new LogError("unavailable", `stores are closed; append to store '${store}' refused`);
    const s = this.byName.get(store);
    if (!s) throw new LogError("not_found", `unknown store '${store}'`);
    const p = s.source.store.append(batch);
    this.inFlight.add(p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(p);
    }
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
}
