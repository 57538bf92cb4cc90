/**
 * The engine behind the API, built from a ConfigStore: the LocalHost the services run on, the
 * Reconciler that applies every config version (stores, router, retention, receivers), the
 * retention runner and the age-rotation sweeper. Used by `serve`; `repl --embedded` can use it
 * with a MemoryConfigStore (openEngine + createInProcessTransport(engine.host)).
 *
 * Receivers (config and fixed ones from flags) share one IngestPipeline whose batches go
 * through the router; the host is ready once every receiver's first bind attempt finished.
 *
 * Close order: config watch stops -> receivers stop (listeners close) -> the ingest pipeline
 * drains (every queued record durable or counted failed) -> the receivers' read positions
 * close (their last commits are written) -> appends in flight settle ->
 * retention stops -> stores flush, fsync and finish seals -> seal workers stop.
 */

import { join } from "node:path";
import { LocalHost } from "../../api/local-host.ts";
import { storeRuntime, type StoreRuntime } from "../../config/runtime.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import type { ConfigStore } from "../../config/store.ts";
import { errorMessage, LogError } from "../../core/errors.ts";
import { PositionStore } from "../../ingest/checkpoint/positions.ts";
import type { Logger } from "../../observability/logger.ts";
import type { Metrics } from "../../observability/metrics.ts";
import { Telemetry } from "../../observability/telemetry.ts";
import type { TokenStore } from "../../security/token-store.ts";
import { RetentionRunner, type SweepResult } from "../../storage/retention/runner.ts";
import { versionInfo } from "../build-info.ts";
import { storesOnDisk } from "../data-dir.ts";
import { createMemoryStore, type MemoryStoreOptions } from "../../storage/memory/memory-store.ts";
import { sectionBuilders } from "../section-builders.ts";
import { openStore, type OpenedStore } from "../stores.ts";
import { searchSource } from "../search-source.ts";
import { configureQueryWorkers } from "../aggregate-pool.ts";
import { warmStore } from "./warmup.ts";
import { warmWithin } from "./warm-search.ts";
import { OPEN_SEGMENTS } from "../../storage/file/segment-cache.ts";
import { batchObserver, hostObserver, noteReceiverEvent, storeObserver, telemetryViews, type Observation } from "./observe.ts";
import { livePolicy, Reconciler } from "./reconcile.ts";
import { routedPipeline, serverReceiverTypes } from "./receiver-factories.ts";
import { chatterbox, FactoryReceiverManager, type ManagedReceiver, type ManagedReceiverFactory } from "./receivers.ts";
import { storeRecall } from "./recall.ts";

/** Read positions of the local-source receivers (tail, docker, kubernetes, journald), in the data dir. */
export const POSITIONS_FILE = "receiver-positions.sqlite";

/** How often stores with a rotation maxAge are checked for an over-age active chunk. */
const AGE_SWEEP_MS = 1000;

export interface EngineOptions {
  dataDir: string;
  /** The versioned config; the engine applies its current version and watches for new ones. */
  config: ConfigStore;
  logger: Logger;
  /** Add the chatterbox demo receiver "demo" (routed like every receiver). */
  demo?: boolean;
  /** Called when a client asks for shutdown (LifecycleService.Shutdown). */
  onShutdownRequest?: (reason: string) => void;
  /** Receiver types by name (default: chatterbox and the network receivers, serverReceiverTypes). */
  receiverTypes?: Readonly<Record<string, ManagedReceiverFactory>>;
  /**
   * Receivers outside the versioned config (`serve --receiver`): started with the engine, never
   * stored as config versions, shown with origin "flag". Validated by the caller.
   */
  fixedReceivers?: readonly ReceiverEntry[];
  /** Background retention period (default 60 s). */
  retentionIntervalMs?: number;
  /** Told after each applied version (server settings such as the log level). */
  onApplied?: (version: number) => void;
  /** Prometheus metrics the engine's parts update (serve); none by default. */
  metrics?: Metrics;
  /** API tokens for TokenService (serve); none by default. */
  tokens?: TokenStore;
  /**
   * Resolves when no client request is in flight (serve): the background index warm-up waits
   * for it before each chunk, so it never competes with the queries it is meant to speed up.
   */
  whenIdle?: () => Promise<unknown>;
}

export interface Engine {
  readonly host: LocalHost;
  /** Message drops, index-build failures and query errors (the API reports query errors). */
  readonly telemetry: Telemetry;
  /**
   * Before ready: one pass of the warm-up search over each store's newest chunks (their
   * segments opened, token index heads read), stopped once `budgetMs` have passed.
   */
  openNewest(budgetMs: number): Promise<void>;
  /** Starts watching the config and background work, and marks the host ready. */
  start(): void;
  /** Stops everything (see the header for the order). */
  close(): Promise<void>;
}

/** A memory store (nothing persisted) with indexes built inline when chunks seal. */
export function openMemoryStore(name: string, options: MemoryStoreOptions = {}): OpenedStore {
  const store = createMemoryStore(name, { sectionBuilders, ...options });
  return { store, source: searchSource(name, store), reconfigure: (p) => store.reconfigure(p), close: () => store.close() };
}

/** Applies the current config (opening its stores); on failure closes what was opened and rethrows. */
export async function openEngine(o: EngineOptions): Promise<Engine> {
  const log = o.logger.child("engine");
  const retention = new RetentionRunner([], { intervalMs: o.retentionIntervalMs, logger: (level, msg) => o.logger.child("retention")[level](msg) });
  let reconciler!: Reconciler;
  const receiverLog = o.logger.child("receiver");
  const ingest = (batch: Parameters<LocalHost["ingestRouted"]>[0]) => host.ingestRouted(batch);
  const obs: Observation = { metrics: o.metrics, telemetry: new Telemetry(o.logger.child("telemetry")) };
  const pipeline = routedPipeline(ingest, o.logger.child("ingest"), { onBatch: batchObserver(obs) });
  const positions = new PositionStore(join(o.dataDir, POSITIONS_FILE));
  const recall = storeRecall(() => host.stores().map((s) => s.source.store));
  const types = o.receiverTypes ?? serverReceiverTypes(pipeline, { positions, recall }, (e) => noteReceiverEvent(obs, e));
  const fixed: ManagedReceiver[] = o.demo ? [chatterbox("demo", {}, ingest, receiverLog.child("demo"))] : [];
  for (const c of o.fixedReceivers ?? []) {
    const factory = Object.hasOwn(types, c.type) ? types[c.type] : undefined;
    if (!factory) throw new LogError("invalid_argument", `receiver ${c.id}: type "${c.type}" is not available in this build`);
    fixed.push(factory(c, ingest, receiverLog.child(c.id)));
  }
  const receivers = new FactoryReceiverManager(types, ingest, receiverLog, fixed);
  const host: LocalHost = new LocalHost({
    stores: [],
    version: versionInfo(),
    receivers: () => receivers.views(),
    ingestQueue: () => pipeline.stats(),
    onShutdownRequest: o.onShutdownRequest,
    config: { store: o.config, applied: (v) => reconciler.whenApplied(v), appliedVersion: () => reconciler.appliedVersion(), lastError: () => reconciler.lastError() },
    retention: { sweep: (store) => sweep(retention, reconciler, o.config, store), stats: () => retention.stats() },
    telemetry: () => telemetryViews(obs, receivers.views()),
    tokens: o.tokens,
    observer: hostObserver(obs),
  });
  const open = (rt: StoreRuntime) => {
    const slog = o.logger.child(`store.${rt.name}`);
    const logger = (level: "info" | "warn" | "error", msg: string) => slog[level](msg);
    const p = livePolicy(rt);
    const observer = storeObserver(rt.name, obs);
    return rt.type === "memory" ? Promise.resolve(openMemoryStore(rt.name, { rotation: p.rotation, logger, observer })) : openStore(o.dataDir, rt.name, { ...p, logger, observer });
  };
  reconciler = new Reconciler({ dataDir: o.dataDir, host, receivers, retention, open, logger: o.logger });
  const cur = o.config.current();
  configureQueryWorkers(cur.config.query?.workers ?? 0);
  await reconciler.apply(cur.config, cur.version);
  if (reconciler.opened().length < cur.config.stores.length) {
    await receivers.stop();
    await pipeline.drain();
    positions.close();
    await reconciler.close();
    throw new LogError("unavailable", `cannot apply config version ${cur.version}: ${reconciler.lastError()}`);
  }
  o.onApplied?.(cur.version);
  const unserved = storesOnDisk(o.dataDir).filter((n) => !cur.config.stores.some((s) => s.name === n));
  if (unserved.length > 0) {
    log.warn(`store directories not in the config are not served: ${unserved.join(", ")}; serve one with: gastrolog config set 'stores[NAME]={"type":"file","route":""}'`, { stores: unserved.join(",") });
  }
  let unwatch: (() => void) | undefined;
  let ageTimer: ReturnType<typeof setInterval> | undefined;
  const prewarm = new AbortController();
  return {
    host,
    telemetry: obs.telemetry,
    async openNewest(budgetMs) {
      const deadline = performance.now() + budgetMs;
      for (const s of reconciler.opened()) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        const reached = await warmWithin(s.source, OPEN_SEGMENTS, left, prewarm.signal);
        log.debug(`store ${s.source.name}: ${reached} newest chunks opened before ready`);
      }
    },
    start() {
      unwatch = o.config.watch((v) => void reconciler.apply(v.config, v.version, v.diff).then(() => o.onApplied?.(v.version)));
      // Versions stored between opening and watching (another process) are applied now.
      const now = o.config.current();
      if (now.version > cur.version) void reconciler.apply(now.config, now.version, o.config.diff(cur.version, now.version));
      retention.start();
      ageTimer = setInterval(() => {
        for (const s of reconciler.opened()) {
          const sweepable = s.store as { sweep?: () => Promise<unknown> };
          void sweepable.sweep?.().catch((err) => log.warn(`age rotation failed: ${errorMessage(err)}`));
        }
      }, AGE_SWEEP_MS);
      ageTimer.unref?.();
      host.markReady();
      // The first query after a start should not have to open every chunk's index heads.
      for (const s of reconciler.opened()) {
        void warmStore(s, prewarm.signal, o.whenIdle).then((r) =>
          r.error === undefined
            ? log.debug(`store ${s.source.name}: warmed up in ${Math.round(r.millis)} ms (searched ${r.searched} chunks, index heads of ${r.chunks}, ${r.bytes} bytes read)`)
            : log.warn(`store ${s.source.name}: warm-up stopped: ${r.error}`),
        );
      }
    },
    async close() {
      prewarm.abort();
      unwatch?.();
      if (ageTimer) clearInterval(ageTimer);
      if (host.phase() !== "draining") host.beginDrain();
      await receivers.stop();
      await pipeline.drain();
      positions.close();
      await host.appendsSettled();
      await retention.stop();
      await reconciler.close();
      host.markStopped();
    },
  };
}

/** A sweep of every store now, or of one (with its configured policy). */
async function sweep(runner: RetentionRunner, reconciler: Reconciler, config: ConfigStore, store: string | undefined): Promise<SweepResult> {
  if (store === undefined) return runner.sweepNow();
  const s = config.current().config.stores.find((x) => x.name === store);
  const opened = reconciler.opened().find((x) => x.store.name === store);
  if (!s || !opened) throw new LogError("not_found", `no open store '${store}'`);
  return new RetentionRunner([{ name: store, store: opened.store, policy: storeRuntime(s).retention }]).sweepNow();
}
