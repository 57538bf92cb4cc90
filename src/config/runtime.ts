/**
 * Numbers for components from a normalized config: rotation and retention limits in bytes and
 * microseconds, durability as the storage DurabilityPolicy shape, the shutdown timeout. Shapes
 * match storage's RotationPolicy / DurabilityPolicy structurally (config imports no storage).
 */

import type { Codec, GastroConfig, StoreConfig } from "./schema.ts";
import { parseDuration } from "../core/duration.ts";
import { parseSize } from "./units.ts";

/** A store's settings as numbers: what openFileStore / createMemoryStore and retention need. */
export interface StoreRuntime {
  name: string;
  type: StoreConfig["type"];
  route: string;
  rotation: { maxBytes: number; maxRecords: number; maxAgeMicros: number };
  retention: { maxAgeMicros: number; maxBytes: number; maxChunks: number };
  codec: Codec;
  level: number;
  durability: { kind: "batch" } | { kind: "interval"; everyMs: number } | { kind: "never" };
}

/** Resolves one validated store entry (sizes/durations are known-good text). */
export function storeRuntime(s: StoreConfig): StoreRuntime {
  const d = s.durability;
  return {
    name: s.name,
    type: s.type,
    route: s.route,
    rotation: { maxBytes: size(s.rotation.maxBytes), maxRecords: s.rotation.maxRecords, maxAgeMicros: micros(s.rotation.maxAge) },
    retention: { maxAgeMicros: micros(s.retention.maxAge), maxBytes: size(s.retention.maxBytes), maxChunks: s.retention.maxChunks },
    codec: s.compression.codec,
    level: s.compression.level,
    durability: d.mode === "interval" ? { kind: "interval", everyMs: Math.max(1, Math.round(micros(d.interval) / 1000)) } : { kind: d.mode },
  };
}

/** The server's shutdown timeout in milliseconds. */
export function shutdownTimeoutMs(c: GastroConfig): number {
  return micros(c.server.shutdownTimeout) / 1000;
}

function size(text: string): number {
  return parseSize(text) ?? 0;
}

function micros(text: string): number {
  return parseDuration(text) ?? 0;
}
