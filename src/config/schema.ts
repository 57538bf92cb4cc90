/**
 * The whole running configuration of a GastroLog server, as stored in every config version:
 * server settings, stores (type, route, rotation, retention, compression, durability) and
 * receivers. This is the NORMALIZED form validate.ts produces: every field present, sizes and
 * durations in canonical text (config/units.ts, core/duration.ts), object keys in a fixed order, so two equal configs
 * print the same JSON. runtime.ts turns the text values into numbers for components.
 */

import type { LogLevel } from "../observability/logger.ts";

export const STORE_TYPES = ["file", "memory"] as const;
export type StoreType = (typeof STORE_TYPES)[number];

/** Segment codecs a store may use (mirrors storage's codec names; config imports no storage). */
export const CODECS = ["zstd", "lz4", "none"] as const;
export type Codec = (typeof CODECS)[number];

export const DURABILITY_MODES = ["batch", "interval", "never"] as const;
export type DurabilityMode = (typeof DURABILITY_MODES)[number];

export const CLIENT_AUTH = ["none", "request", "require"] as const;
/** Who may use the Unix socket: its owner without a token ("trust"), or token holders ("token"). */
export const SOCKET_AUTH = ["trust", "token"] as const;
/** GET /metrics: open, behind a Bearer token, or not served. */
export const METRICS_ACCESS = ["open", "token", "off"] as const;

export interface ServerConfig {
  /** HTTP listen address `host:port` (Connect, gRPC-Web, probes); "" disables it. */
  listen: string;
  /** Unix socket path for the CLI/REPL; "" means `<data>/gastrolog.sock`. */
  socket: string;
  logLevel: LogLevel;
  /** How long shutdown waits for receivers, queue and seals (duration). */
  shutdownTimeout: string;
  /**
   * API tokens on the HTTP listener: true, false, or "auto" — on unless the listener is
   * loopback-only. `serve` refuses a non-loopback listener with auth false unless
   * --insecure-no-auth is given.
   */
  auth: boolean | "auto";
  /** The Unix socket (mode 0600): "trust" its owner as admin, or require tokens ("token"). */
  socketAuth: (typeof SOCKET_AUTH)[number];
  /** With socketAuth "token": peer uids (SO_PEERCRED) admitted as admin without a token. */
  socketUids: number[];
  /** GET /metrics on the HTTP listener (and metricsListen). */
  metrics: (typeof METRICS_ACCESS)[number];
  /** A listener of its own for /metrics (`host:port`, "" = none). */
  metricsListen: string;
  /** TLS of the HTTP listener (absent: plain HTTP); clientAuth adds mTLS. */
  tls?: TlsConfig;
}

/** When the active chunk seals (checked before each record); "0" / 0 disables a condition. */
export interface RotationConfig {
  maxBytes: string;
  maxRecords: number;
  maxAge: string;
}

/** Which sealed chunks are deleted: any condition selects a chunk; "0" / 0 disables. */
export interface RetentionConfig {
  /** TTL by the chunk's last write time. */
  maxAge: string;
  /** Keep the newest sealed chunks that fit in this many bytes. */
  maxBytes: string;
  /** Keep the newest N sealed chunks. */
  maxChunks: number;
}

export interface CompressionConfig {
  codec: Codec;
  /** zstd level 1..22; kept but ignored while the codec is lz4 or none. */
  level: number;
}

export interface DurabilityConfig {
  mode: DurabilityMode;
  /** fsync period for mode "interval" (duration); "0" otherwise. */
  interval: string;
}

export interface StoreConfig {
  /** Identifier: 1-64 of letters, digits, `_`, `.`, `-`, starting with a letter or digit. */
  name: string;
  type: StoreType;
  /** Route: "" nothing, `*` all, `+` catch-rest, or an attribute expression. */
  route: string;
  rotation: RotationConfig;
  retention: RetentionConfig;
  compression: CompressionConfig;
  durability: DurabilityConfig;
}

export interface TlsConfig {
  /** PEM file paths. */
  cert: string;
  key: string;
  /** CA bundle for client certificates; "" for none. */
  ca: string;
  clientAuth: (typeof CLIENT_AUTH)[number];
}

/** One receiver of the config (ingest builds a running receiver from it: its ReceiverConfig). */
export interface ReceiverEntry {
  id: string;
  /** Receiver type: a key of ingest/receivers/registry.ts RECEIVER_TYPES, or `chatterbox`; per-type option checks plug in via validate.ts. */
  type: string;
  enabled: boolean;
  /** Listen URLs: `udp://host:port`, `tcp://`, `http://`, `https://`, `grpc://`, `grpcs://`, `unix:///path`, `kafka://b1:9092,b2:9092/topic`. */
  listen: string[];
  tls?: TlsConfig;
  /** Type-specific options, keys sorted; checked by the type's ReceiverValidator. */
  options: Record<string, unknown>;
}

/**
 * Query guards (README "Query guards"): absent from a config that never set them, which then
 * runs with DEFAULT_QUERY. Durations and sizes are canonical text; "0" / 0 disables a guard.
 */
export interface QueryConfig {
  /** Default timeout of a query without `timeout=` (search, aggregate, explain; not follow). */
  timeout: string;
  /** Most matches a search returns and rows a table returns before it is cut (truncated). */
  maxRows: number;
  /** Most raw record bytes one search returns before it is cut (truncated). */
  maxBytes: string;
  /** Most bytes one streamed response carries. */
  maxResponseBytes: string;
  /** Refuse queries whose explain estimate is longer than this, unless `force=true`. */
  maxEstimate: string;
  /**
   * Aggregation worker threads of the server (0: min(cores, 4); 1: aggregate in the query's
   * thread); GASTROLOG_QUERY_WORKERS overrides it. Read when the server starts.
   */
  workers: number;
}

export interface GastroConfig {
  server: ServerConfig;
  stores: StoreConfig[];
  receivers: ReceiverEntry[];
  query?: QueryConfig;
}

/** Most aggregation workers a config may ask for. */
export const MAX_QUERY_WORKERS = 64;

export const DEFAULT_QUERY: Readonly<QueryConfig> = { timeout: "5m", maxRows: 0, maxBytes: "0", maxResponseBytes: "1MB", maxEstimate: "0", workers: 0 };

export const DEFAULT_SERVER: Readonly<ServerConfig> = {
  listen: "127.0.0.1:4564",
  socket: "",
  logLevel: "info",
  shutdownTimeout: "30s",
  auth: "auto",
  socketAuth: "trust",
  socketUids: [],
  metrics: "open",
  metricsListen: "",
};

/**
 * Rotation defaults per store type (file: 32 MiB chunks — half the original's 64 MiB, which keeps a
 * seal's working set, and so peak memory, small on edge boxes; memory: 10 000 records).
 */
export const DEFAULT_ROTATION: Readonly<Record<StoreType, RotationConfig>> = {
  file: { maxBytes: "32MB", maxRecords: 0, maxAge: "0" },
  memory: { maxBytes: "0", maxRecords: 10_000, maxAge: "0" },
};
export const DEFAULT_RETENTION: Readonly<RetentionConfig> = { maxAge: "0", maxBytes: "0", maxChunks: 0 };
/** Level 6: the storage default (storage/segment/writer.ts DEFAULT_SEGMENT_OPTIONS says why). */
export const DEFAULT_COMPRESSION: Readonly<CompressionConfig> = { codec: "zstd", level: 6 };
export const DEFAULT_DURABILITY: Readonly<DurabilityConfig> = { mode: "batch", interval: "0" };

/** The configuration of a data directory that has never been configured: one file store. */
export function defaultConfig(): GastroConfig {
  return {
    server: { ...DEFAULT_SERVER, socketUids: [] },
    stores: [
      {
        name: "default",
        type: "file",
        route: "*",
        rotation: { ...DEFAULT_ROTATION.file },
        retention: { ...DEFAULT_RETENTION },
        compression: { ...DEFAULT_COMPRESSION },
        durability: { ...DEFAULT_DURABILITY },
      },
    ],
    receivers: [],
  };
}

/** The canonical JSON text of a normalized config (stable, so equal configs compare equal). */
export function configJson(c: GastroConfig, indent = 0): string {
  return JSON.stringify(c, null, indent);
}
