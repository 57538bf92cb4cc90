/**
 * Counting one block's records per time bucket for fast-count.ts: from the records' timestamps,
 * or — for a sealed block whose segment has an event-cells section (storage/event-cells.ts) —
 * from its per-second counts, without decompressing the block, whenever no bucket or range
 * boundary falls inside one of its seconds.
 */

import { errorMessage } from "../../../core/errors.ts";
import { decodeEventCells, EVENT_CELLS_SECTION, type CellRuns, type EventCells } from "../../../storage/event-cells.ts";
import type { ChunkView } from "../../../storage/types.ts";
import type { TimeBounds } from "../chunk-planner.ts";
import type { StatsState } from "./stats.ts";

/** Most buckets one block's tally keeps in its array (a wider block counts the rest in a map). */
const MAX_DENSE_BUCKETS = 1 << 16;

/**
 * Per-bucket counts of one block's records inside the time bounds: a dense array over the
 * buckets between the block's min and max event time (a block spans few buckets; a plain loop,
 * no map or call per record), a map for a time outside them (a summary that does not cover a
 * record, e.g. an active chunk's), width 0 counting only.
 */
export class BucketTally {
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

  /** `n` records at event time `t`. */
  add(t: number, n = 1): void {
    if (t < this.start || t >= this.end) return;
    if (this.width === 0) {
      this.dense[0]! += n;
      return;
    }
    const b = Math.floor((t - this.first) / this.width);
    if (b >= 0 && b < this.dense.length) this.dense[b]! += n;
    else {
      const key = this.bucketOf(t);
      this.outside.set(key, (this.outside.get(key) ?? 0) + n);
    }
  }

  /**
   * Adds a block's records from its cell runs (each cell holds the integer times
   * [cell·grain, cell·grain + grain − 1]) when no bound and no bucket boundary falls inside a
   * cell; else adds nothing and returns false (the block's timestamps must be read).
   */
  addCells(runs: CellRuns, grain: number): boolean {
    const { cells, counts } = runs;
    for (let k = 0; k < cells.length; k++) {
      const lo = cells[k]! * grain;
      const hi = lo + grain - 1;
      if (lo < this.start !== hi < this.start || lo >= this.end !== hi >= this.end) return false;
      if (this.width !== 0 && this.bucketOf(lo) !== this.bucketOf(hi)) return false;
    }
    for (let k = 0; k < cells.length; k++) this.add(cells[k]! * grain, counts[k]!);
    return true;
  }

  /** Adds the counts to `part`. */
  flush(part: StatsState): void {
    const w = this.width;
    for (let b = 0; b < this.dense.length; b++) if (this.dense[b]! > 0) part.addRecords(w === 0 ? [] : [this.first + b * w], this.dense[b]!);
    for (const [b, c] of this.outside) part.addRecords([b], c);
  }
}

/**
 * The event-cells section of a sealed chunk, or undefined when it has none (older segments, other
 * stores) or it cannot be read (a warning; the blocks are read instead).
 */
export async function readEventCells(reader: ChunkView, onWarning?: (w: string) => void): Promise<EventCells | undefined> {
  const size = reader.sectionSize(EVENT_CELLS_SECTION);
  if (size === undefined) return undefined;
  try {
    return decodeEventCells(await reader.readSection(EVENT_CELLS_SECTION, 0, size), reader.blocks().map((b) => b.count));
  } catch (err) {
    onWarning?.(`chunk ${reader.meta.id}: event-time summary unreadable (${errorMessage(err)}); its blocks are read instead`);
    return undefined;
  }
}
