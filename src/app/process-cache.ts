/**
 * The one decoded-data cache of this process (storage/byte-cache.ts): data blocks of every
 * store and the index heads and dictionary blocks of every chunk share its budget, so a
 * server's memory stays bounded however many stores and chunks it serves. Sized by the
 * GASTROLOG_CACHE_SIZE environment variable (e.g. 64MB, 256MB; default 64 MiB).
 */

import { parseSize } from "../config/units.ts";
import { LogError } from "../core/errors.ts";
import { ByteCache, DEFAULT_CACHE_BYTES } from "../storage/byte-cache.ts";

/** Environment variable naming the cache budget. */
export const CACHE_SIZE_ENV = "GASTROLOG_CACHE_SIZE";

let shared: ByteCache | undefined;

/** The cache budget `env` asks for; LogError invalid_argument when it is not a size. */
export function cacheBytes(env: Record<string, string | undefined>): number {
  const text = env[CACHE_SIZE_ENV];
  if (text === undefined || text === "") return DEFAULT_CACHE_BYTES;
  const bytes = parseSize(text);
  if (bytes === undefined) throw new LogError("invalid_argument", `${CACHE_SIZE_ENV} must be a size like 64MB or 1GB, got '${text}'`);
  return bytes;
}

/**
 * The process-wide cache (one per thread), made on first use with the budget of this process's
 * environment, or `share` of it: each aggregation worker takes 1/workers, so the workers
 * together hold at most one more budget.
 */
export function processCache(share = 1): ByteCache {
  shared ??= new ByteCache(Math.floor(cacheBytes(process.env) * share));
  return shared;
}
