/**
 * The engine host: the small surface the API services need from whoever runs the engine. The
 * server and the REPL's embedded mode both supply one (src/api/local-host.ts builds it from
 * open stores), so both serve exactly the same services. No protobuf types appear here.
 */

import type { ConfigStore } from "../config/store.ts";
import type { RecordInput, RecordRef } from "../core/record.ts";
import type { PipelineStats } from "../ingest/pipeline/pipeline.ts";
import type { RouterStats } from "../ingest/route/router.ts";
import type { ReceiverNetCounters } from "../observability/metrics-sources.ts";
import type { TelemetryView } from "../observability/telemetry.ts";
import type { TokenStore } from "../security/token-store.ts";
import type { SearchSource } from "../query/engine/source.ts";
import type { RetentionStats, SweepResult } from "../storage/retention/runner.ts";
import type { ChunkStore, DurabilityPolicy, RotationPolicy } from "../storage/types.ts";

/** "starting": stores opening; "draining": shutdown under way (not ready, appends refused). */
export type HostPhase = "starting" | "ready" | "draining" | "stopped";

/** How a store was configured, for ConfigService and status. */
export interface StoreSettings {
  kind: "file" | "memory";
  /** Store directory of a file store; "" for memory stores. */
  dir: string;
  rotation: RotationPolicy;
  durability: DurabilityPolicy;
  /** Route expression: "" none, "*" all, "+" the rest, or an attribute expression. */
  route: string;
  /** Codec of newly sealed chunks ("" when the store does not compress). */
  codec?: string;
  /** Why a follow of this store shows nothing new (its records were all read at start). */
  followNote?: string;
}

/** One open store: its search source (source.store is the ChunkStore) and settings. */
export interface HostStore {
  readonly name: string;
  readonly source: SearchSource<ChunkStore>;
  readonly settings: StoreSettings;
}

/** A receiver as status and config report it. */
export interface ReceiverView {
  name: string;
  type: string;
  params: Readonly<Record<string, string>>;
  state: "starting" | "running" | "stopped" | "failed";
  records: number;
  errors: number;
  /** "config" (versioned) or "flag" (serve --receiver / --demo; outside the config). */
  origin?: "config" | "flag";
  /** Counters and socket state of network receivers (absent for the chatterbox). */
  net?: ReceiverNetView;
}

/**
 * The counters of a network receiver (ingest/receivers ReceiverStats, without protobuf): the
 * ones metrics export, plus socket state.
 */
export interface ReceiverNetView extends ReceiverNetCounters {
  listening: readonly string[];
  restarts: number;
  /** TLS clients refused by the client-certificate policy. */
  tlsRejected: number;
  lastError?: string;
  /** Epoch µs of lastError. */
  lastErrorAt?: number;
}

/** The receivers' shared ingest queue. */
export type IngestQueueView = PipelineStats;

/** Identity of the running build (Lifecycle Status, `version`). */
export interface BuildInfo {
  version: string;
  commit: string;
  /** e.g. "bun 1.4.4". */
  runtime: string;
}

/** Where the records of a routed append went. */
export interface RoutedAppend {
  /** Per record, in request order: one entry per store it reached ([] = unrouted). */
  copies: { store: string; ref: RecordRef }[][];
  unrouted: number;
}

/** The server's versioned config, for ConfigService writes. */
export interface ConfigControl {
  readonly store: ConfigStore;
  /**
   * Resolves once the server has applied `version` (or a later one), with the error of that
   * apply ("" when it went through), so a write RPC answers after the change is live.
   */
  applied(version: number): Promise<string>;
  /** The newest version applied so far. */
  appliedVersion(): number;
  /** The error of the last apply ("" when it succeeded). */
  lastError(): string;
}

/** Retention of the running stores, for ConfigService. */
export interface RetentionControl {
  /** Sweeps every store (or one) now; LogError("not_found") for an unknown store. */
  sweep(store?: string): Promise<SweepResult>;
  stats(): RetentionStats;
}

export interface EngineHost {
  /** Open stores sorted by name. */
  stores(): readonly HostStore[];
  store(name: string): HostStore | undefined;
  receivers(): readonly ReceiverView[];
  /** The receivers' shared ingest queue, when the host runs one. */
  ingestQueue(): IngestQueueView | undefined;
  version(): BuildInfo;
  phase(): HostPhase;
  /** Epoch µs when the host started. */
  readonly startedAt: number;
  /** Aborted when draining begins: Follow streams end with UNAVAILABLE. */
  readonly drainSignal: AbortSignal;
  /**
   * Appends to a store and resolves when the store's append resolved (durable under its
   * policy). Refused with LogError("unavailable") while draining; the host waits for appends
   * in flight before it closes stores, so an acknowledged record is never lost.
   */
  append(store: string, batch: readonly RecordInput[]): Promise<RecordRef[]>;
  /**
   * Routes every record by its attributes (the stores' routes) and appends it to each store it
   * matches; records matching none are counted as unrouted. Without routing configured, every
   * record goes to "default". Refused while draining, like append(). With `mayWrite`, nothing is
   * appended when a record would reach a store it refuses (LogError "permission_denied").
   */
  appendRouted(batch: readonly RecordInput[], mayWrite?: (store: string) => boolean): Promise<RoutedAppend>;
  /** Routing counters, or undefined when no router is configured. */
  routing(): RouterStats | undefined;
  /** Message drops, index-build failures and query errors (status), one entry per kind. */
  telemetry(): readonly TelemetryView[];
  /** The versioned config, when the host runs on one (servers do; bare test hosts do not). */
  readonly config?: ConfigControl;
  readonly retention?: RetentionControl;
  /** API tokens (TokenService), when the host runs on a data directory's config database. */
  readonly tokens?: TokenStore;
  /** Starts a graceful shutdown; false when one is already under way. */
  requestShutdown(reason: string): boolean;
}
