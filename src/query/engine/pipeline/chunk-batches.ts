/**
 * The pipeline's source: walks a store's chunks in iteration order, plans each with the shared
 * planner (the same plan explain prints; a sealed chunk outside the time bounds is skipped from
 * its listing, unopened) and emits its record batches with the rows to look
 * at — every row of the time-pruned block ranges, or only the index candidates. Damaged chunks
 * are reported and skipped; each chunk's plan and counts go to `onChunk` when it is done (or
 * when the consumer stops early). Reads through ChunkView, so a remote tier works the same.
 */

import { CorruptError, LogError } from "../../../core/errors.ts";
import { blockIndexOf } from "../../../storage/reader-checks.ts";
import type { ChunkMeta, ChunkView, DecodeBuffer, RecordBatch } from "../../../storage/types.ts";
import { planChunk, ruledOutByTime, type ChunkWork, type TimeBounds } from "../chunk-planner.ts";
import type { CompiledFilter } from "../compile.ts";
import type { Pacer } from "../pacer.ts";
import type { SearchSource } from "../source.ts";
import type { ChunkPlan } from "../types.ts";
import type { RowBatch, ScanStats } from "./types.ts";

/** Records per batch request when walking a range backwards. */
const REVERSE_STEP = 4096;

export interface ChunkBatchesOptions {
  filter: CompiledFilter;
  bounds: TimeBounds;
  reverse: boolean;
  /** Index into `chunks` to start at, and (resume) the position in that chunk to continue after. */
  startAt: number;
  after?: number;
  /** Called with each chunk's plan and actual counts, times and index reads (explain analyze). */
  onChunk?: (plan: ChunkPlan) => void;
  /** Told about chunks that could not be searched (corrupt data); the search goes on. */
  onWarning?: (message: string) => void;
  /**
   * A buffer forward range scans decode blocks into (ChunkView.batches): only for a consumer
   * that is done with each batch before it asks for the next and keeps nothing of it.
   */
  reuse?: DecodeBuffer;
}

/** Batches of `chunks` (already in iteration order) with their rows to check. */
export async function* chunkBatches(src: SearchSource, chunks: readonly ChunkMeta[], o: ChunkBatchesOptions, pacer: Pacer): AsyncGenerator<RowBatch> {
  for (let ci = o.startAt; ci < chunks.length; ci++) {
    if (pacer.due()) await pacer.pause();
    const meta = chunks[ci]!;
    if (meta.state === "corrupt") {
      o.onWarning?.(`chunk ${meta.id} of store ${src.name} is corrupt and was not searched`);
      continue;
    }
    const outside = ruledOutByTime(src.name, meta, o.bounds);
    if (outside !== undefined) {
      o.onChunk?.({ ...outside.plan, actual: { scanned: 0, matched: 0, millis: 0, planMillis: 0, indexBytes: 0, indexReads: 0 } });
      continue;
    }
    const reader = await openChunk(src, meta, o.onWarning);
    if (reader === undefined) continue;
    let report: (() => void) | undefined;
    try {
      const t0 = performance.now();
      // Plan from the reader's meta, not the listing: the chunk may have sealed since.
      const now = reader.meta;
      const indexes = now.state === "sealed" ? await src.indexes(reader, now) : undefined;
      const work = await planChunk(src.name, now, reader, indexes, o.filter, o.bounds);
      const planMillis = performance.now() - t0;
      const stats: ScanStats = { scanned: 0, matched: 0 };
      const read = indexes?.read;
      report = () => o.onChunk?.({ ...work.plan, actual: { ...stats, millis: performance.now() - t0, planMillis, indexBytes: read?.bytes ?? 0, indexReads: read?.reads ?? 0 } });
      const after = ci === o.startAt ? o.after : undefined;
      if (work.plan.scanMode !== "skipped") {
        const base = { chunkIndex: ci, chunk: meta, stats };
        for await (const [batch, rows, verified] of rowsOf(reader, work, o.reverse, after, o.reuse)) {
          stats.scanned += rows.length;
          yield { ...base, batch, rows, verified };
        }
      }
    } catch (err) {
      if (!(err instanceof CorruptError)) throw err;
      report = undefined;
      o.onWarning?.(`chunk ${meta.id} of store ${src.name} stopped at damaged data: ${err.message}`);
    } finally {
      report?.();
      reader.close();
    }
  }
}

/** Opens a chunk, or undefined (with a warning for damage) when it vanished or is corrupt. */
export async function openChunk(src: SearchSource, meta: ChunkMeta, onWarning: ((m: string) => void) | undefined): Promise<ChunkView | undefined> {
  try {
    return await src.store.open(meta.id);
  } catch (err) {
    if (err instanceof LogError && err.code === "not_found") return undefined; // deleted while we ran
    if (err instanceof CorruptError) {
      onWarning?.(`chunk ${meta.id} of store ${src.name} was not searched: ${err.message}`);
      return undefined;
    }
    throw err;
  }
}

type Rows = [batch: RecordBatch, rows: Uint32Array, verified: boolean];

/** The chunk's batches with their rows, in iteration order, after `after` when resuming. */
function rowsOf(reader: ChunkView, work: ChunkWork, reverse: boolean, after: number | undefined, reuse: DecodeBuffer | undefined): AsyncGenerator<Rows> {
  if (work.candidates) return candidateRows(reader, work.candidates, work.exact === true, reverse, after);
  return rangeRows(reader, work.ranges ?? [], reverse, after, reuse);
}

/** Every row of the block ranges (backwards in steps when reversed; forwards decoded into `reuse` when given). */
async function* rangeRows(reader: ChunkView, ranges: ReadonlyArray<readonly [number, number]>, reverse: boolean, after: number | undefined, reuse: DecodeBuffer | undefined): AsyncGenerator<Rows> {
  for (let r = 0; r < ranges.length; r++) {
    let [from, to] = ranges[reverse ? ranges.length - 1 - r : r]!;
    if (after !== undefined) {
      if (reverse) to = Math.min(to, after);
      else from = Math.max(from, after + 1);
    }
    if (from >= to) continue;
    if (!reverse) {
      for await (const batch of reader.batches(from, to, reuse)) yield [batch, allRows(batch.count, false), false];
      continue;
    }
    for (let hi = to; hi > from; hi -= REVERSE_STEP) {
      const batches: RecordBatch[] = [];
      for await (const b of reader.batches(Math.max(from, hi - REVERSE_STEP), hi)) batches.push(b);
      for (let b = batches.length - 1; b >= 0; b--) yield [batches[b]!, allRows(batches[b]!.count, true), false];
    }
  }
}

/** 0, 1, 2, ...: forward row lists are views of it (stages never write a batch's rows). */
let identity = new Uint32Array(0);

/** 0..n-1 (a shared read-only view: no allocation per batch), or n-1..0 when reversed. */
function allRows(n: number, reverse: boolean): Uint32Array {
  if (!reverse) {
    if (identity.length < n) {
      identity = new Uint32Array(Math.max(n, 1 << 16));
      for (let k = 0; k < identity.length; k++) identity[k] = k;
    }
    return identity.subarray(0, n);
  }
  const rows = new Uint32Array(n);
  for (let k = 0; k < n; k++) rows[k] = n - 1 - k;
  return rows;
}

/**
 * The candidate positions, block by block (one batch request per block's candidates), as rows
 * of the batches holding them. `exact`: the indexes answered every predicate.
 */
async function* candidateRows(reader: ChunkView, c: Uint32Array, exact: boolean, reverse: boolean, after: number | undefined): AsyncGenerator<Rows> {
  const blocks = reader.blocks();
  let lo = 0;
  let hi = c.length; // candidates [lo, hi) still to visit
  if (after !== undefined) {
    if (reverse) hi = lowerBound(c, after);
    else lo = lowerBound(c, after + 1);
  }
  while (lo < hi) {
    // The block holding the next candidate in iteration order, and its candidates [gLo, gHi).
    const b = blocks[blockIndexOf(blocks, c[reverse ? hi - 1 : lo]!)]!;
    const [gLo, gHi] = reverse ? [lowerBound(c, b.first, lo, hi), hi] : [lo, lowerBound(c, b.first + b.count, lo, hi)];
    const batches: RecordBatch[] = [];
    for await (const batch of reader.batches(c[gLo]!, c[gHi - 1]! + 1)) batches.push(batch);
    if (reverse) batches.reverse();
    let k = reverse ? gHi - 1 : gLo;
    for (const batch of batches) {
      const rows: number[] = [];
      for (; reverse ? k >= gLo : k < gHi; k += reverse ? -1 : 1) {
        const p = c[k]!;
        if (p < batch.first || p >= batch.first + batch.count) break;
        rows.push(p - batch.first);
      }
      if (rows.length > 0) yield [batch, Uint32Array.from(rows), exact];
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
