/**
 * What callers need to know about imports without loading the importer and its file readers
 * and decompressors: the batch size, which paths can be read in place, and how timestamps of
 * an import are read.
 */

import type { TimestampContext } from "../parse/timestamp.ts";

/** Records per store.append call unless told otherwise. */
export const DEFAULT_STORE_BATCH = 8192;

const DAY_MICROS = 86_400_000_000;

/** True when `path` names a plain file (not `-`, `.gz` or `.zst`): one that can be read in place. */
export function isPlainPath(path: string): boolean {
  return path !== "-" && !path.endsWith(".gz") && !path.endsWith(".zst");
}

/**
 * How an import started at `started` (µs) reads timestamps: the given year, else the clock's
 * UTC year with later-than-tomorrow dates taken from the year before; zone-less times in
 * `tzOffsetMinutes` (default UTC). Shared with readers of files in place (text file store).
 */
export function importTimestampContext(started: number, options: { year?: number; tzOffsetMinutes?: number } = {}): TimestampContext {
  const year = options.year ?? new Date(started / 1000).getUTCFullYear();
  const notAfter = options.year === undefined ? started + DAY_MICROS : undefined;
  return { year, tzOffsetMinutes: options.tzOffsetMinutes ?? 0, notAfter };
}
