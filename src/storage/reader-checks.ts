/**
 * Checks and shapes every ChunkReader implementation (and its users) share: the closed/range
 * check of a batch request, the range check of a section read, the single pseudo-block an unsealed chunk reports, and finding the
 * block that holds a position.
 */

import { LogError } from "../core/errors.ts";
import type { ChunkStats } from "./stats.ts";
import type { BlockInfo } from "./types.ts";

/** Throws unless the reader is open and [from, to) lies within its `count` records. */
export function checkReadRange(chunk: string, closed: boolean, from: number, to: number, count: number): void {
  if (closed) throw new LogError("unavailable", `reader of chunk ${chunk} is closed`);
  if (!(from >= 0 && from <= to && to <= count)) {
    throw new LogError("invalid_argument", `range [${from}, ${to}) is outside chunk ${chunk} of ${count} records`);
  }
}

/** Throws unless [offset, offset + length) lies within section `name` (`size` bytes) of `chunk`. */
export function checkSectionRange(chunk: string, name: string, size: number, offset: number, length: number): void {
  if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= size)) {
    throw new LogError("invalid_argument", `range [${offset}, ${offset + length}) is outside section "${name}" (${size} bytes) of chunk ${chunk}`);
  }
}

/** The one block an active chunk of `count` records reports (its whole time ranges). */
export function wholeChunkBlock(count: number, stats: ChunkStats): BlockInfo[] {
  return count === 0 ? [] : [{ first: 0, count, writeTs: stats.writeRange(), eventTs: stats.eventRange() }];
}

/** Index of the block holding position `pos` (blocks ascending and contiguous, at least one). */
export function blockIndexOf(blocks: readonly Pick<BlockInfo, "first">[], pos: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (blocks[mid]!.first <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
