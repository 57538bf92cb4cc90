/**
 * Executes one chunk's work list: reads candidate positions or scans block ranges, applies the
 * event-time bounds and the full DNF filter, and yields matching positions in storage order
 * (or reverse). Synchronous and allocation-light; the async driver paces it.
 */

import type { LogRecord } from "../../core/record.ts";
import { recordAt } from "../../storage/segment/batch.ts";
import type { ChunkReader, RecordBatch } from "../../storage/types.ts";
import { BatchMatcher } from "./batch-matcher.ts";
import type { ChunkWork, TimeBounds } from "./chunk-planner.ts";
import { matchesFilter, type CompiledFilter } from "./compile.ts";

/** Records per batch request when walking a range backwards. */
const REVERSE_STEP = 4096;

export interface ScanStats {
  scanned: number;
  matched: number;
}

export interface ChunkMatch {
  pos: number;
  record: LogRecord;
}

/** True when the query has a time bound (else no record's timestamps need reading). */
function isTimed(b: TimeBounds): boolean {
  return b.start !== undefined || b.end !== undefined;
}

function inTime(batch: RecordBatch, i: number, b: TimeBounds): boolean {
  const t = batch.sourceTs[i] !== 0 ? batch.sourceTs[i]! : batch.ingestTs[i]!;
  return (b.start === undefined || t >= b.start) && (b.end === undefined || t < b.end);
}

/**
 * Yields matches of one chunk. `after` (a resume position) restricts to positions after it
 * in the iteration direction.
 */
export function* scanChunk(
  reader: ChunkReader,
  work: ChunkWork,
  filter: CompiledFilter,
  bounds: TimeBounds,
  reverse: boolean,
  after: number | undefined,
  stats: ScanStats,
): Generator<ChunkMatch> {
  const timed = isTimed(bounds);
  if (work.candidates) {
    const c = work.candidates;
    for (let k = 0; k < c.length; k++) {
      const pos = c[reverse ? c.length - 1 - k : k]!;
      if (after !== undefined && (reverse ? pos >= after : pos <= after)) continue;
      for (const batch of reader.batches(pos, pos + 1)) {
        stats.scanned++;
        if ((!timed || inTime(batch, 0, bounds)) && matchesFilter(filter, new BatchMatcher(batch), 0)) {
          stats.matched++;
          yield { pos, record: recordAt(batch, 0) };
        }
      }
    }
    return;
  }
  const ranges = work.ranges ?? [];
  for (let r = 0; r < ranges.length; r++) {
    let [from, to] = ranges[reverse ? ranges.length - 1 - r : r]!;
    if (after !== undefined) {
      if (reverse) to = Math.min(to, after);
      else from = Math.max(from, after + 1);
    }
    if (from >= to) continue;
    if (!reverse) {
      for (const batch of reader.batches(from, to)) yield* scanBatch(batch, filter, bounds, false, stats);
      continue;
    }
    for (let hi = to; hi > from; hi -= REVERSE_STEP) {
      const batches = [...reader.batches(Math.max(from, hi - REVERSE_STEP), hi)];
      for (let b = batches.length - 1; b >= 0; b--) yield* scanBatch(batches[b]!, filter, bounds, true, stats);
    }
  }
}

function* scanBatch(batch: RecordBatch, filter: CompiledFilter, bounds: TimeBounds, reverse: boolean, stats: ScanStats): Generator<ChunkMatch> {
  const m = new BatchMatcher(batch);
  const n = batch.count;
  const timed = isTimed(bounds);
  stats.scanned += n;
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    if ((!timed || inTime(batch, i, bounds)) && matchesFilter(filter, m, i)) {
      stats.matched++;
      yield { pos: batch.first + i, record: recordAt(batch, i) };
    }
  }
}
