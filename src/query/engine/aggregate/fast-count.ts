/**
 * `stats count() [by bin(W)]` without reading records where it can: per chunk, when the indexes
 * answered every predicate (or there is no filter), the matching positions (or the time-pruned
 * ranges) are counted block by block; a sealed block whose event-time min/max lies inside the
 * query range and inside one bucket adds its count at once; a block that a range or bucket
 * boundary cuts is counted from its segment's per-second event-cell counts (block-tally.ts) when
 * no boundary falls inside one of its seconds, and only otherwise read for its timestamps (from
 * the columns alone where the reader can: ChunkView.blockTimes). Chunks the indexes cannot answer exactly are read and filtered as a search would. `count() by f` (one field) comes from the
 * field indexes where they answer (field-groups.ts), else from the chunk's records. Gives the
 * same counts as stats over rows (the differential test checks it).
 */

import { CorruptError } from "../../../core/errors.ts";
import type { StatsStage } from "../../lang/pipe-ast.ts";
import type { BlockInfo, BlockTimes, ChunkMeta, ChunkView, DecodeBuffer } from "../../../storage/types.ts";
import { planChunk, ruledOutByTime, type TimeBounds } from "../chunk-planner.ts";
import { compileFilter, type CompiledFilter } from "../compile.ts";
import type { Pacer } from "../pacer.ts";
import { chunkBatches, openChunk } from "../pipeline/chunk-batches.ts";
import { filterStage } from "../pipeline/filter.ts";
import type { SearchOptions } from "../search.ts";
import { orderedChunks, type SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import type { StatsState } from "./stats.ts";
import { countFieldGroups, indexGroupField, type GroupScope } from "./field-groups.ts";
import { BucketTally, readEventCells } from "./block-tally.ts";
import type { EventCells } from "../../../storage/event-cells.ts";

/** True when every aggregation is count() and the only grouping is an event-time bin, a field indexes may answer, or none. */
export function countsOnly(stage: StatsStage): boolean {
  const g = stage.by[0];
  const binOrNone = stage.by.length <= 1 && (g === undefined || (g.kind === "bin" && g.time === "_time"));
  return (binOrNone && stage.aggs.every((a) => a.fn === "count" && a.field === undefined)) || indexGroupField(stage) !== undefined;
}

/** Positions [from, to) of one block, all of them or only `hits` (ascending, inside it). */
interface Span {
  block: BlockInfo;
  /** The block's index in the chunk. */
  index: number;
  from: number;
  to: number;
  hits?: Uint32Array;
}

/** Adds the counts of `src`'s records matching `req` to `total` (a countsOnly stage's state). */
export async function countStore(src: SearchSource, req: SearchRequest, total: StatsState, pacer: Pacer, opts: SearchOptions): Promise<void> {
  const filter = compileFilter(req.expr);
  const bounds: TimeBounds = { start: req.start, end: req.end };
  const g = total.stage.by[0];
  const width = g?.kind === "bin" ? g.width : 0;
  const field = indexGroupField(total.stage);
  const reuse: DecodeBuffer = { bytes: new Uint8Array(0) };
  for (const meta of orderedChunks(src, false)) {
    if (pacer.due()) await pacer.pause();
    if (meta.state === "corrupt") {
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} is corrupt and was not searched`);
      continue;
    }
    if (ruledOutByTime(src.name, meta, bounds) !== undefined) continue;
    const reader = await openChunk(src, meta, opts.onWarning);
    if (reader === undefined) continue;
    const part = total.fresh();
    try {
      const now = reader.meta;
      const indexes = now.state === "sealed" ? await src.indexes(reader, now) : undefined;
      const work = await planChunk(src.name, now, reader, indexes, filter, bounds);
      if (work.plan.scanMode === "skipped") continue;
      const hits = work.candidates !== undefined && work.exact === true ? work.candidates : work.exactHits;
      const sealed = now.state === "sealed";
      const scope: GroupScope | undefined = hits !== undefined ? { hits } : filter.branches === undefined ? { ranges: work.ranges ?? [] } : undefined;
      if (field !== undefined) {
        const answered = indexes !== undefined && scope !== undefined && blocksInside(reader.blocks(), scope, bounds) && (await countFieldGroups(indexes, field, now.records, scope, part));
        if (!answered) await scanInto(src, now, filter, bounds, opts, pacer, part, reuse);
      } else if (hits !== undefined) await countSpans(reader, hitSpans(reader.blocks(), hits), sealed, bounds, width, part, pacer, opts);
      else if (filter.branches === undefined) await countSpans(reader, rangeSpans(reader.blocks(), work.ranges ?? []), sealed, bounds, width, part, pacer, opts);
      else await scanInto(src, now, filter, bounds, opts, pacer, part, reuse);
      total.merge(part);
    } catch (err) {
      if (!(err instanceof CorruptError)) throw err;
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} stopped at damaged data: ${err.message}`);
    } finally {
      reader.close();
    }
  }
}

/**
 * Adds the records of chunk `meta` that match, read and filtered as a search reads them, each
 * block decoded into `reuse` (a count keeps nothing of a batch once added).
 */
async function scanInto(src: SearchSource, meta: ChunkMeta, filter: CompiledFilter, bounds: TimeBounds, opts: SearchOptions, pacer: Pacer, part: StatsState, reuse: DecodeBuffer): Promise<void> {
  const batches = chunkBatches(src, [meta], { filter, bounds, reverse: false, startAt: 0, onWarning: opts.onWarning, reuse }, pacer);
  for await (const rb of filterStage(filter, bounds, pacer)(batches)) part.addRows(rb);
}

/** True when the event times of every block `scope` touches lie inside the bounds (their records need no time check). */
function blocksInside(blocks: readonly BlockInfo[], scope: GroupScope, bounds: TimeBounds): boolean {
  if (bounds.start === undefined && bounds.end === undefined) return true;
  for (const s of "hits" in scope ? hitSpans(blocks, scope.hits) : rangeSpans(blocks, scope.ranges)) {
    const { min, max } = s.block.eventTs;
    if ((bounds.start !== undefined && min < bounds.start) || (bounds.end !== undefined && max >= bounds.end)) return false;
  }
  return true;
}

/**
 * Counts each span: from its block's summary when it can, else (a whole sealed block) from the
 * segment's per-second event-cell counts when no boundary cuts one of its seconds, else from the
 * timestamps of its records.
 */
async function countSpans(reader: ChunkView, spans: Iterable<Span>, sealed: boolean, bounds: TimeBounds, width: number, part: StatsState, pacer: Pacer, opts: SearchOptions): Promise<void> {
  const bucket = (t: number) => (width === 0 ? [] : [part.bucketOf(width, t)]);
  let cells: EventCells | undefined | null = sealed ? null : undefined;
  for (const s of spans) {
    if (pacer.due()) await pacer.pause();
    const n = s.hits ? s.hits.length : s.to - s.from;
    if (n === 0) continue;
    const { min, max } = s.block.eventTs;
    const inside = (bounds.start === undefined || min >= bounds.start) && (bounds.end === undefined || max < bounds.end);
    if (sealed && inside && (width === 0 || part.bucketOf(width, min) === part.bucketOf(width, max))) {
      part.addRecords(bucket(min), n);
      continue;
    }
    const tally = new BucketTally(width, min, max, bounds, (t) => part.bucketOf(width, t));
    if (s.hits === undefined && s.from === s.block.first && s.to === s.block.first + s.block.count) {
      if (cells === null) cells = await readEventCells(reader, opts.onWarning);
      const runs = cells?.blocks[s.index];
      if (runs !== undefined && tally.addCells(runs, cells!.grain)) {
        tally.flush(part);
        continue;
      }
    }
    const times = reader.blockTimes?.(s.index);
    if (times !== undefined) {
      tallyTimes(tally, times, s);
      tally.flush(part);
      continue;
    }
    let k = 0;
    for await (const batch of reader.batches(s.hits ? s.hits[0]! : s.from, s.hits ? s.hits[s.hits.length - 1]! + 1 : s.to)) {
      if (s.hits === undefined) {
        tally.addAll(batch.sourceTs, batch.ingestTs, 0, batch.count);
        continue;
      }
      const end = batch.first + batch.count;
      const src = batch.sourceTs;
      const ing = batch.ingestTs;
      for (; k < s.hits.length && s.hits[k]! < end; k++) {
        const i = s.hits[k]! - batch.first;
        tally.add(src[i] !== 0 ? src[i]! : ing[i]!);
      }
      if (k >= s.hits.length) break;
    }
    tally.flush(part);
  }
}

/** Adds the span's records (its hits, or positions [from, to)) by their times in their block's columns. */
function tallyTimes(tally: BucketTally, times: BlockTimes, s: Span): void {
  const { sourceTs, ingestTs } = times;
  const first = s.block.first;
  if (s.hits === undefined) {
    tally.addAll(sourceTs, ingestTs, s.from - first, s.to - first);
    return;
  }
  for (const h of s.hits) {
    const i = h - first;
    tally.add(sourceTs[i] !== 0 ? sourceTs[i]! : ingestTs[i]!);
  }
}

/** The blocks' parts of the ranges. */
function* rangeSpans(blocks: readonly BlockInfo[], ranges: ReadonlyArray<readonly [number, number]>): Generator<Span> {
  let b = 0;
  for (const [from, to] of ranges) {
    while (b < blocks.length && blocks[b]!.first + blocks[b]!.count <= from) b++;
    for (let k = b; k < blocks.length && blocks[k]!.first < to; k++) {
      const block = blocks[k]!;
      // An active chunk's one block may report fewer records than the range holds: the range wins.
      const last = k === blocks.length - 1 ? to : Math.min(to, block.first + block.count);
      yield { block, index: k, from: Math.max(from, block.first), to: last };
    }
  }
}

/** The hits grouped by the block holding them. */
function* hitSpans(blocks: readonly BlockInfo[], hits: Uint32Array): Generator<Span> {
  let at = 0;
  for (let k = 0; k < blocks.length && at < hits.length; k++) {
    const block = blocks[k]!;
    const end = k === blocks.length - 1 ? Infinity : block.first + block.count;
    let stop = at;
    while (stop < hits.length && hits[stop]! < end) stop++;
    if (stop > at) yield { block, index: k, from: hits[at]!, to: hits[stop - 1]! + 1, hits: hits.subarray(at, stop) };
    at = stop;
  }
}
