/**
 * Executes one chunk's work list: reads candidate positions or scans block ranges, applies the
 * event-time bounds and the full DNF filter, and yields matching positions in storage order
 * (or reverse). Synchronous and allocation-light; the async driver paces it.
 */

import type { LogRecord } from "../../core/record.ts";
import { recordAt, sliceBatch } from "../../storage/segment/batch.ts";
import { blockIndexOf } from "../../storage/reader-checks.ts";
import type { ChunkReader, RecordBatch } from "../../storage/types.ts";
import { BatchMatcher } from "./batch-matcher.ts";
import type { ChunkWork, TimeBounds } from "./chunk-planner.ts";
import { batchMayMatch, matchesFilter, type CompiledFilter } from "./compile.ts";

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
  if (work.candidates) {
    yield* scanCandidates(reader, work.candidates, work.exact ? undefined : filter, bounds, reverse, after, stats);
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

/**
 * Reads candidate positions block by block (one batch request per block's candidates). With
 * `filter` undefined the candidates are exact index answers and only time bounds are checked.
 */
function* scanCandidates(
  reader: ChunkReader,
  c: Uint32Array,
  filter: CompiledFilter | undefined,
  bounds: TimeBounds,
  reverse: boolean,
  after: number | undefined,
  stats: ScanStats,
): Generator<ChunkMatch> {
  const timed = isTimed(bounds);
  const blocks = reader.blocks();
  let lo = 0;
  let hi = c.length; // candidates [lo, hi) still to visit
  if (after !== undefined) {
    if (reverse) hi = lowerBound(c, after);
    else lo = lowerBound(c, after + 1);
  }
  while (lo < hi) {
    // The block holding the next candidate in iteration order, and its candidates.
    const pos = c[reverse ? hi - 1 : lo]!;
    const b = blocks[blockIndexOf(blocks, pos)]!;
    const [gLo, gHi] = reverse ? [lowerBound(c, b.first, lo, hi), hi] : [lo, lowerBound(c, b.first + b.count, lo, hi)];
    const batches = [...reader.batches(c[gLo]!, c[gHi - 1]! + 1)];
    for (let k = 0; k < gHi - gLo; k++) {
      const p = c[reverse ? gHi - 1 - k : gLo + k]!;
      const batch = batches.find((x) => p >= x.first && p < x.first + x.count)!;
      const i = p - batch.first;
      stats.scanned++;
      if ((!timed || inTime(batch, i, bounds)) && (filter === undefined || matchesFilter(filter, new BatchMatcher(sliceBatch(batch, i, i + 1)), 0))) {
        stats.matched++;
        yield { pos: p, record: recordAt(batch, i) };
      }
    }
    if (reverse) hi = gLo;
    else lo = gHi;
  }
}

/** First index in c[lo, hi) whose value is >= v. */
function lowerBound(c: Uint32Array, v: number, lo = 0, hi = c.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function* scanBatch(batch: RecordBatch, filter: CompiledFilter, bounds: TimeBounds, reverse: boolean, stats: ScanStats): Generator<ChunkMatch> {
  const m = new BatchMatcher(batch);
  const n = batch.count;
  const timed = isTimed(bounds);
  stats.scanned += n;
  if (!batchMayMatch(filter, m)) return;
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    if ((!timed || inTime(batch, i, bounds)) && matchesFilter(filter, m, i)) {
      stats.matched++;
      yield { pos: batch.first + i, record: recordAt(batch, i) };
    }
  }
}
