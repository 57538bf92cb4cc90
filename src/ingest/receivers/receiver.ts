/**
 * The Receiver contract: a configured listener with start/stop, counters and a status, built
 * from a ReceiverConfig by the registry (registry.ts). Receivers hand records to the shared
 * IngestPipeline and report bind failures, crashes and (rate-limited) dropped input through the
 * context's onEvent; nothing they do may throw out of a socket handler.
 */

import type { Clock } from "../../core/time.ts";
import type { Recall } from "../checkpoint/checkpointer.ts";
import type { PositionStore } from "../checkpoint/positions.ts";
import type { CounterSnapshot } from "../pipeline/counters.ts";
import type { IngestPipeline } from "../pipeline/pipeline.ts";
import type { ClientAuth } from "../../security/tls.ts";

/** Certificate settings for TLS listeners (tls://, https://). Paths to PEM files. */
export interface ReceiverTlsConfig {
  certFile: string;
  keyFile: string;
  /** CA bundle for client certificates (mTLS). */
  caFile?: string;
  /**
   * "require": refuse clients without a certificate signed by caFile; "request": ask for one
   * and refuse one that does not verify; "none" (default): ask for none.
   */
  clientAuth?: ClientAuth;
}

/**
 * How one receiver is configured. `listen` holds URLs: `udp://host:port`, `tcp://host:port`,
 * `tls://host:port` (TCP + TLS), `http://host:port`, `https://host:port`, or for local
 * sources `file:///path`, `unix:///path` and `journalctl` (source-url.ts); which schemes a type
 * accepts is checked by its factory. `options` are type-specific (see each receiver's file).
 */
export interface ReceiverConfig {
  type: string;
  id: string;
  listen: string[];
  tls?: ReceiverTlsConfig;
  options?: Readonly<Record<string, unknown>>;
}

export type ReceiverState = "stopped" | "starting" | "running" | "failed";

/** Status plus counters, for `status` and the REPL `receivers` command. */
export interface ReceiverStats extends CounterSnapshot {
  id: string;
  type: string;
  state: ReceiverState;
  /** Addresses actually bound (port 0 resolved), e.g. "udp://127.0.0.1:5514". */
  listening: string[];
  /** Restarts after a failure since start(). */
  restarts: number;
  /** Error events reported (bind failures, crashes, drop reports). */
  errors: number;
  lastError?: string;
  /** Epoch µs of lastError. */
  lastErrorAt?: number;
}

/**
 * Something the server should log and show: bind failure, crash, restart, dropped input; for
 * local sources where they resumed and a source they cannot read.
 */
export interface ReceiverEvent {
  receiver: string;
  level: "info" | "warn" | "error";
  kind: "started" | "bind" | "crash" | "drop" | "restart" | "stopped" | "resumed" | "read" | "tls";
  message: string;
  /** kind "tls": why a client was refused (metric label: unknown_ca, expired, no_certificate, ...). */
  reason?: string;
}

/** What every receiver is given by the composition root. */
export interface ReceiverContext {
  pipeline: IngestPipeline;
  /** Receives every event; default: ignored (counters and status still record them). */
  onEvent?: (e: ReceiverEvent) => void;
  clock?: Clock;
  /**
   * Where local-source receivers (files, containers, journal) keep their read positions;
   * default: an in-memory database (positions last as long as the process).
   */
  positions?: PositionStore;
  /** Asks the stores what a receiver already stored (exactly-once resume after a crash). */
  recall?: Recall;
}

/** A running (or startable) receiver. */
export interface Receiver {
  readonly id: string;
  readonly type: string;
  /**
   * Binds all listeners. Resolves after the first attempt either way: on failure the state is
   * "failed", an event is reported and the receiver retries with backoff until stop().
   */
  start(): Promise<void>;
  /** Closes listeners and open connections at once (unacked RELP messages get resent). */
  stop(): Promise<void>;
  stats(): ReceiverStats;
}

/** Builds a receiver of one type; throws LogError("invalid_argument") on a bad config. */
export type ReceiverFactory = (config: ReceiverConfig, ctx: ReceiverContext) => Receiver;
