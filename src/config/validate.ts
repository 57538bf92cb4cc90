/**
 * validateConfig: untrusted JSON in, a normalized GastroConfig out (schema.ts), or ONE
 * ConfigError listing every problem with its JSON path. Checks field types, unknown fields,
 * names, duplicates, sizes and durations, codecs and levels, route expressions (route.ts) and
 * receivers (validate-receivers.ts, with per-type hooks). Pure: no I/O, no clock.
 */

import { errorMessage } from "../core/errors.ts";
import { Problems } from "./problems.ts";
import { parseRoute } from "./route.ts";
import {
  CODECS,
  DEFAULT_COMPRESSION,
  DEFAULT_DURABILITY,
  DEFAULT_RETENTION,
  DEFAULT_ROTATION,
  DEFAULT_QUERY,
  MAX_QUERY_WORKERS,
  DEFAULT_SERVER,
  DURABILITY_MODES,
  METRICS_ACCESS,
  SOCKET_AUTH,
  STORE_TYPES,
  type CompressionConfig,
  type DurabilityConfig,
  type GastroConfig,
  type QueryConfig,
  type RetentionConfig,
  type RotationConfig,
  type ServerConfig,
  type StoreConfig,
} from "./schema.ts";
import { LOG_LEVELS } from "../observability/logger.ts";
import { DURATION_FORMS, formatDuration, parseDuration } from "../core/duration.ts";
import { formatSize, parseSize } from "./units.ts";
import { validateReceivers, validateTls, type ReceiverValidator } from "./validate-receivers.ts";

export interface ValidateOptions {
  /**
   * Option checks per receiver type (filled in by the receivers module through the app). When
   * given, a receiver whose type has no entry is rejected as unknown; when omitted, any type
   * name is accepted and only the common fields are checked.
   */
  receiverTypes?: Readonly<Record<string, ReceiverValidator>>;
}

/** Store names: also directory names under `<data>/stores/`. */
export const STORE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const LISTEN_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/;

/** Validates and normalizes a whole config; throws ConfigError (invalid_argument) on any problem. */
export function validateConfig(input: unknown, options: ValidateOptions = {}): GastroConfig {
  const p = new Problems();
  const top = p.object(input, "$", ["server", "stores", "receivers", "query"]);
  if (input === undefined || input === null) p.add("$", "a config must be a JSON object, got nothing");
  const config: GastroConfig = {
    server: server(p, top.server),
    stores: p.array(top.stores, "$.stores").map((s, i) => store(p, s, `$.stores[${i}]`)),
    receivers: validateReceivers(p, top.receivers, options.receiverTypes),
  };
  if (top.query !== undefined && top.query !== null) config.query = queryGuards(p, top.query);
  const seen = new Map<string, number>();
  config.stores.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first !== undefined) p.add(`$.stores[${i}].name`, `duplicate store name "${s.name}" (also $.stores[${first}])`);
    else seen.set(s.name, i);
  });
  p.throwIfAny();
  return config;
}

function server(p: Problems, v: unknown): ServerConfig {
  const path = "$.server";
  const o = p.object(v, path, ["listen", "socket", "logLevel", "shutdownTimeout", "auth", "socketAuth", "socketUids", "metrics", "metricsListen", "tls"]);
  const s: ServerConfig = {
    listen: hostPort(p, o, "listen", path, DEFAULT_SERVER.listen),
    socket: p.string(o, "socket", path, DEFAULT_SERVER.socket),
    logLevel: p.oneOf(o, "logLevel", path, LOG_LEVELS, DEFAULT_SERVER.logLevel),
    shutdownTimeout: duration(p, o, "shutdownTimeout", path, DEFAULT_SERVER.shutdownTimeout, false),
    auth: authMode(p, o.auth, `${path}.auth`),
    socketAuth: p.oneOf(o, "socketAuth", path, SOCKET_AUTH, DEFAULT_SERVER.socketAuth),
    socketUids: p.array(o.socketUids, `${path}.socketUids`).map((u, i) => uid(p, u, `${path}.socketUids[${i}]`)),
    metrics: p.oneOf(o, "metrics", path, METRICS_ACCESS, DEFAULT_SERVER.metrics),
    metricsListen: hostPort(p, o, "metricsListen", path, DEFAULT_SERVER.metricsListen),
  };
  if (o.tls !== undefined && o.tls !== null) s.tls = validateTls(p, o.tls, `${path}.tls`);
  return s;
}

function queryGuards(p: Problems, v: unknown): QueryConfig {
  const path = "$.query";
  const o = p.object(v, path, ["timeout", "maxRows", "maxBytes", "maxResponseBytes", "maxEstimate", "workers"]);
  const q: QueryConfig = {
    timeout: duration(p, o, "timeout", path, DEFAULT_QUERY.timeout, true),
    maxRows: p.int(o, "maxRows", path, 0, Number.MAX_SAFE_INTEGER, DEFAULT_QUERY.maxRows),
    maxBytes: size(p, o, "maxBytes", path, DEFAULT_QUERY.maxBytes),
    maxResponseBytes: size(p, o, "maxResponseBytes", path, DEFAULT_QUERY.maxResponseBytes),
    maxEstimate: duration(p, o, "maxEstimate", path, DEFAULT_QUERY.maxEstimate, true),
    workers: p.int(o, "workers", path, 0, MAX_QUERY_WORKERS, DEFAULT_QUERY.workers),
  };
  if (q.maxResponseBytes === "0") p.add(`${path}.maxResponseBytes`, `must be > 0 (a response carries at least one record)`);
  return q;
}

/** A `host:port` field ("" allowed: off). */
function hostPort(p: Problems, o: Record<string, unknown>, key: string, path: string, fallback: string): string {
  const v = p.string(o, key, path, fallback);
  const m = LISTEN_RE.exec(v);
  if (v !== "" && (!m || Number(m[2]) > 65535)) p.add(`${path}.${key}`, `expected host:port (port 0-65535) or "", got "${v}"`);
  return v;
}

function authMode(p: Problems, v: unknown, path: string): boolean | "auto" {
  if (v === undefined || v === null || v === "auto") return "auto";
  if (typeof v === "boolean") return v;
  p.add(path, `must be true, false or "auto", got ${JSON.stringify(v)}`);
  return "auto";
}

function uid(p: Problems, v: unknown, path: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  p.add(path, `expected a user id (integer 0..4294967295), got ${JSON.stringify(v)}`);
  return 0;
}

function store(p: Problems, v: unknown, path: string): StoreConfig {
  const o = p.object(v, path, ["name", "type", "route", "rotation", "retention", "compression", "durability"]);
  const name = p.string(o, "name", path, "");
  if (!STORE_NAME_RE.test(name)) p.add(`${path}.name`, `store name must be 1-64 letters, digits, '_', '.', '-' (starting with a letter or digit), got "${name}"`);
  const type = p.oneOf(o, "type", path, STORE_TYPES, "file");
  if (o.route === undefined) p.add(`${path}.route`, `route is required: "*" (all), "+" (catch-rest), "" (nothing) or an attribute expression`);
  const route = p.string(o, "route", path, "");
  try {
    parseRoute(route);
  } catch (err) {
    p.add(`${path}.route`, `invalid route "${route}": ${errorMessage(err)}`);
  }
  return {
    name,
    type,
    route,
    rotation: rotation(p, o.rotation, `${path}.rotation`, DEFAULT_ROTATION[type]),
    retention: retention(p, o.retention, `${path}.retention`),
    compression: compression(p, o.compression, `${path}.compression`),
    durability: durability(p, o.durability, `${path}.durability`),
  };
}

function rotation(p: Problems, v: unknown, path: string, d: RotationConfig): RotationConfig {
  const o = p.object(v, path, ["maxBytes", "maxRecords", "maxAge"]);
  return {
    maxBytes: size(p, o, "maxBytes", path, d.maxBytes),
    maxRecords: p.int(o, "maxRecords", path, 0, Number.MAX_SAFE_INTEGER, d.maxRecords),
    maxAge: duration(p, o, "maxAge", path, d.maxAge, true),
  };
}

function retention(p: Problems, v: unknown, path: string): RetentionConfig {
  const o = p.object(v, path, ["maxAge", "maxBytes", "maxChunks"]);
  return {
    maxAge: duration(p, o, "maxAge", path, DEFAULT_RETENTION.maxAge, true),
    maxBytes: size(p, o, "maxBytes", path, DEFAULT_RETENTION.maxBytes),
    maxChunks: p.int(o, "maxChunks", path, 0, Number.MAX_SAFE_INTEGER, DEFAULT_RETENTION.maxChunks),
  };
}

function compression(p: Problems, v: unknown, path: string): CompressionConfig {
  const o = p.object(v, path, ["codec", "level"]);
  const codec = p.oneOf(o, "codec", path, CODECS, DEFAULT_COMPRESSION.codec);
  // The level is kept when the codec is not zstd (where it is ignored), so switching a store
  // to lz4 and back restores its zstd level.
  return { codec, level: p.int(o, "level", path, 1, 22, DEFAULT_COMPRESSION.level) };
}

function durability(p: Problems, v: unknown, path: string): DurabilityConfig {
  const o = p.object(v, path, ["mode", "interval"]);
  const mode = p.oneOf(o, "mode", path, DURABILITY_MODES, DEFAULT_DURABILITY.mode);
  const interval = duration(p, o, "interval", path, DEFAULT_DURABILITY.interval, true);
  if (mode === "interval" && interval === "0") p.add(`${path}.interval`, `mode "interval" needs an interval > 0 (e.g. "200ms")`);
  if (mode !== "interval" && interval !== "0") p.add(`${path}.interval`, `interval applies to mode "interval" only, not "${mode}"`);
  return { mode, interval };
}

/** A size field as canonical text; accepts `64MB` or a byte count. */
function size(p: Problems, o: Record<string, unknown>, key: string, path: string, fallback: string): string {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === "string" || typeof v === "number" ? parseSize(v) : undefined;
  if (n === undefined) {
    p.add(`${path}.${key}`, `expected a size like "64MB" (B, KB, MB, GB, TB) or a byte count, got ${JSON.stringify(v)}`);
    return fallback;
  }
  return formatSize(n);
}

/** A duration field as canonical text; "0" only where `zeroOk` (meaning disabled). */
function duration(p: Problems, o: Record<string, unknown>, key: string, path: string, fallback: string, zeroOk: boolean): string {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === "string" ? parseDuration(v) : undefined;
  if (n === undefined || (n === 0 && !zeroOk)) {
    const hint = zeroOk ? `"0" to disable` : "must be > 0";
    p.add(`${path}.${key}`, `expected ${DURATION_FORMS} (${hint}), got ${JSON.stringify(v)}`);
    return fallback;
  }
  return formatDuration(n);
}
