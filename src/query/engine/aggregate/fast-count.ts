/**
 * `stats count() [by bin(W)]` without reading records where it can: per chunk, when the indexes
 * answered every predicate (or there is no filter), the matching positions (or the time-pruned
 * ranges) are counted block by block; a sealed block whose event-time min/max lies inside the
 * query range and inside one bucket adds its count at once, and only a block that a range or
 * bucket boundary cuts is decompressed to read its timestamps. Chunks the indexes cannot answer
 * exactly are read and filtered as a search would. `count() by f` (one field) comes from the
 * field indexes where they answer (field-groups.ts), else from the chunk's records. Gives the
 * same counts as stats over rows (the differential test checks it).
 */

import { CorruptError } from "../../../core/errors.ts";
import type { StatsStage } from "../../lang/pipe-ast.ts";
import type { BlockInfo, ChunkMeta, ChunkView } from "../../../storage/types.ts";
import { planChunk, type TimeBounds } from "../chunk-planner.ts";
import { compileFilter, type CompiledFilter } from "../compile.ts";
import type { Pacer } from "../pacer.ts";
import { chunkBatches, openChunk } from "../pipeline/chunk-batches.ts";
import { filterStage } from "../pipeline/filter.ts";
import type { SearchOptions } from "../search.ts";
import { orderedChunks, type SearchSource } from "../source.ts";
import type { SearchRequest } from "../types.ts";
import type { StatsState } from "./stats.ts";
import { countFieldGroups, indexGroupField, type GroupScope } from "./field-groups.ts";

/** True when every aggregation is count() and the only grouping is an event-time bin, a field indexes may answer, or none. */
export function countsOnly(stage: StatsStage): boolean {
  const g = stage.by[0];
  const binOrNone = stage.by.length <= 1 && (g === undefined || (g.kind === "bin" && g.time === "_time"));
  return (binOrNone && stage.aggs.every((a) => a.fn === "count" && a.field === undefined)) || indexGroupField(stage) !== undefined;
}

/** Positions [from, to) of one block, all of them or only `hits` (ascending, inside it). */
interface Span {
  block: BlockInfo;
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
  for (const meta of orderedChunks(src, false)) {
    if (pacer.due()) await pacer.pause();
    if (meta.state === "corrupt") {
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} is corrupt and was not searched`);
      continue;
    }
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
        if (!answered) await scanInto(src, now, filter, bounds, opts, pacer, part);
      } else if (hits !== undefined) await countSpans(reader, hitSpans(reader.blocks(), hits), sealed, bounds, width, part, pacer);
      else if (filter.branches === undefined) await countSpans(reader, rangeSpans(reader.blocks(), work.ranges ?? []), sealed, bounds, width, part, pacer);
      else await scanInto(src, now, filter, bounds, opts, pacer, part);
      total.merge(part);
    } catch (err) {
      if (!(err instanceof CorruptError)) throw err;
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} stopped at damaged data: ${err.message}`);
    } finally {
      reader.close();
    }
  }
}

/** Adds the records of chunk `meta` that match, read and filtered as a search reads them. */
async function scanInto(src: SearchSource, meta: ChunkMeta, filter: CompiledFilter, bounds: TimeBounds, opts: SearchOptions, pacer: Pacer, part: StatsState): Promise<void> {
  const batches = chunkBatches(src, [meta], { filter, bounds, reverse: false, startAt: 0, onWarning: opts.onWarning }, pacer);
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

/** Counts each span: from its block's summary when it can, else from the timestamps of its records. */
async function countSpans(reader: ChunkView, spans: Iterable<Span>, sealed: boolean, bounds: TimeBounds, width: number, part: StatsState, pacer: Pacer): Promise<void> {
  const bucket = (t: number) => (width === 0 ? [] : [part.bucketOf(width, t)]);
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

/** Most buckets one block's tally keeps in its array (a wider block counts the rest in a map). */
const MAX_DENSE_BUCKETS = 1 << 16;

/**
 * Per-bucket counts of one block's records inside the time bounds: a dense array over the
 * buckets between the block's min and max event time (a block spans few buckets; a plain loop,
 * no map or call per record), a map for a time outside them (a summary that does not cover a
 * record, e.g. an active chunk's), width 0 counting only.
 */
class BucketTally {
  private readonly dense: Float64Array;
  private readonly outside = new Map<number, number>();
  private readonly first: number;
  private readonly start: number;
  private readonly end: number;

  constructor(
    private readonly width: number,
    min: number,
    max: number,
    bounds: TimeBounds,
    private readonly bucketOf: (t: number) => number,
  ) {
    this.first = width === 0 ? 0 : bucketOf(min);
    const span = width === 0 ? 1 : (bucketOf(max) - this.first) / width + 1;
    this.dense = new Float64Array(Number.isFinite(span) && span >= 1 ? Math.min(span, MAX_DENSE_BUCKETS) : 1);
    this.start = bounds.start ?? -Infinity;
    this.end = bounds.end ?? Infinity;
  }

  /** Records [from, to) of a batch's columns: event time is sourceTs, else ingestTs. */
  addAll(src: Float64Array, ing: Float64Array, from: number, to: number): void {
    for (let i = from; i < to; i++) this.add(src[i] !== 0 ? src[i]! : ing[i]!);
  }

  add(t: number): void {
    if (t < this.start || t >= this.end) return;
    if (this.width === 0) {
      this.dense[0]!++;
      return;
    }
    const b = Math.floor((t - this.first) / this.width);
    if (b >= 0 && b < this.dense.length) this.dense[b]!++;
    else {
      const key = this.bucketOf(t);
      this.outside.set(key, (this.outside.get(key) ?? 0) + 1);
    }
  }

  /** Adds the counts to `part`. */
  flush(part: StatsState): void {
    const w = this.width;
    for (let b = 0; b < this.dense.length; b++) if (this.dense[b]! > 0) part.addRecords(w === 0 ? [] : [this.first + b * w], this.dense[b]!);
    for (const [b, c] of this.outside) part.addRecords([b], c);
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
      yield { block, from: Math.max(from, block.first), to: last };
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
    if (stop > at) yield { block, from: hits[at]!, to: hits[stop - 1]! + 1, hits: hits.subarray(at, stop) };
    at = stop;
  }
}
