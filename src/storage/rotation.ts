/**
 * Rotation decisions: checked before each record with the
 * projected size, always OR-ed with the format hard limit that keeps u32 offsets valid, and
 * never firing for an empty chunk (so an oversized record lands in the current chunk instead
 * of leaving an empty one behind). Pure functions; stores call them on the hot path.
 */

import type { RotationPolicy } from "./types.ts";

/**
 * Bytes charged per record on top of raw + encoded attrs. Equals the file store's fixed entry
 * size (file/format.ts ENTRY_BYTES); the memory store charges the same so one policy behaves
 * the same on both.
 */
export const RECORD_OVERHEAD_BYTES = 32;

/** Raw and attribute data of one chunk must each stay addressable by u32 offsets. */
export const HARD_LIMIT_BYTES = 0xffff_ffff;

/** Size of one record for the `maxBytes` policy. */
export function recordSize(rawLen: number, attrLen: number): number {
  return rawLen + attrLen + RECORD_OVERHEAD_BYTES;
}

/**
 * True when the chunk must rotate before appending a record of `nextRaw` raw bytes and
 * `nextAttr` encoded attribute bytes. `bytes` is the chunk's policy size so far
 * (rawBytes + attrBytes + overhead·records).
 */
export function mustRotate(
  p: RotationPolicy,
  records: number,
  bytes: number,
  rawBytes: number,
  attrBytes: number,
  nextRaw: number,
  nextAttr: number,
): boolean {
  if (records === 0) return false;
  if (rawBytes + nextRaw > HARD_LIMIT_BYTES || attrBytes + nextAttr > HARD_LIMIT_BYTES) return true;
  if (p.maxRecords > 0 && records + 1 > p.maxRecords) return true;
  return p.maxBytes > 0 && bytes + recordSize(nextRaw, nextAttr) > p.maxBytes;
}

/** Age rule: strictly older than maxAge; disabled when maxAge or createdAt is 0. */
export function ageExceeded(p: RotationPolicy, createdAt: number, now: number): boolean {
  return p.maxAgeMicros > 0 && createdAt > 0 && now - createdAt > p.maxAgeMicros;
}
