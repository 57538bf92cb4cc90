/**
 * Options shared by every ChunkStore implementation, their defaults, and the logger callback
 * stores report through. Implementation-specific options extend StoreOptions.
 */

import { LogError } from "../core/errors.ts";
import { systemClock, type Clock } from "../core/time.ts";
import type { CodecName } from "./segment/format.ts";
import type { DurabilityPolicy, RotationPolicy, SectionBuilderFactory, SectionOutcome } from "./types.ts";

/** Severity of a store log line. */
export type StoreLogLevel = "info" | "warn" | "error";

/** Injected logger: stores never print; they report here (recovery notes, seal failures). */
export type StoreLogger = (level: StoreLogLevel, message: string) => void;

/** A finished seal as metrics see it. */
export interface SealReport {
  chunk: string;
  millis: number;
  /** Time spent in index builders. */
  indexMillis: number;
  sections: readonly SectionOutcome[];
  /** Why sections failed (one line each). */
  errors: readonly string[];
}

/**
 * Injected instrumentation (metrics): stores call these on the events metrics count; every
 * hook is optional and must be cheap (it runs on the store's path).
 */
export interface StoreObserver {
  /** One group-commit cycle of the active chunk (fsyncs and the entries write) took `millis`. */
  synced?(millis: number): void;
  sealed?(report: SealReport): void;
  sealFailed?(message: string): void;
  /** An append was refused after waiting `waitedMs` for a seal slot (seals stuck). */
  sealSlotTimeout?(waitedMs: number): void;
}

/** Options every store accepts. */
export interface StoreOptions {
  /** Store name recorded in chunk metadata. Default "default". */
  name?: string;
  /** Omitted fields are 0 (disabled). The format hard limit always applies on top. */
  rotation?: Partial<RotationPolicy>;
  /** Epoch-µs clock for writeTs, createdAt and age rotation. */
  clock?: Clock;
  logger?: StoreLogger;
  /** Index section builders run when a chunk seals. Default: none. */
  sectionBuilders?: SectionBuilderFactory;
  observer?: StoreObserver;
}

/**
 * Policies a running store takes over without reopening (config changes). Rotation applies to
 * the next append; codec and level to the next seal; durability to the next active chunk (the
 * file store seals the current one so no chunk mixes policies).
 */
export interface LivePolicy {
  rotation: RotationPolicy;
  durability?: DurabilityPolicy;
  codec?: CodecName;
  level?: number;
}

/** StoreOptions with every default filled in. */
export interface ResolvedStoreOptions {
  name: string;
  rotation: RotationPolicy;
  clock: Clock;
  logger: StoreLogger;
  sectionBuilders: SectionBuilderFactory;
  observer: StoreObserver;
}

const silent: StoreLogger = () => {};
const noBuilders: SectionBuilderFactory = () => [];

/** Fills defaults; rejects negative rotation limits. */
export function resolveStoreOptions(o: StoreOptions): ResolvedStoreOptions {
  const rotation: RotationPolicy = {
    maxBytes: o.rotation?.maxBytes ?? 0,
    maxRecords: o.rotation?.maxRecords ?? 0,
    maxAgeMicros: o.rotation?.maxAgeMicros ?? 0,
  };
  for (const [k, v] of Object.entries(rotation)) {
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new LogError("invalid_argument", `rotation.${k} must be a finite number >= 0, got ${v}`);
    }
  }
  return {
    name: o.name ?? "default",
    rotation,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silent,
    sectionBuilders: o.sectionBuilders ?? noBuilders,
    observer: o.observer ?? {},
  };
}
