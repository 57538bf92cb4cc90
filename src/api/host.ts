/**
 * The engine host: the small surface the API services need from whoever runs the engine. The
 * server and the REPL's embedded mode both supply one (src/api/local-host.ts builds it from
 * open stores), so both serve exactly the same services. No protobuf types appear here.
 */

import type { RecordInput, RecordRef } from "../core/record.ts";
import type { SearchSource } from "../query/engine/source.ts";
import type { DurabilityPolicy, RotationPolicy } from "../storage/types.ts";

/** "starting": stores opening; "draining": shutdown under way (not ready, appends refused). */
export type HostPhase = "starting" | "ready" | "draining" | "stopped";

/** How a store was configured, for ConfigService and status. */
export interface StoreSettings {
  kind: "file" | "memory";
  /** Store directory of a file store; "" for memory stores. */
  dir: string;
  rotation: RotationPolicy;
  durability: DurabilityPolicy;
  /** Route expression (spec A1.8); "" until routing exists. */
  route: string;
}

/** One open store: its search source (source.store is the ChunkStore) and settings. */
export interface HostStore {
  readonly name: string;
  readonly source: SearchSource;
  readonly settings: StoreSettings;
}

/** A receiver as status and config report it. */
export interface ReceiverView {
  name: string;
  type: string;
  params: Readonly<Record<string, string>>;
  state: "running" | "stopped" | "failed";
  records: number;
  errors: number;
}

export interface VersionInfo {
  version: string;
  commit: string;
  /** e.g. "bun 1.4.4". */
  runtime: string;
}

export interface EngineHost {
  /** Open stores sorted by name. */
  stores(): readonly HostStore[];
  store(name: string): HostStore | undefined;
  receivers(): readonly ReceiverView[];
  version(): VersionInfo;
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
  /** Starts a graceful shutdown; false when one is already under way. */
  requestShutdown(reason: string): boolean;
}
