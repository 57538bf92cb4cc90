/**
 * Plans one chunk: prunes it and its blocks by event time (stored min/max), then plans each DNF
 * branch from the chunk's indexes. The result is both the explain record (ChunkPlan) and the
 * work list execution follows: candidate positions (index-driven) or block ranges (scan).
 */

import type { ChunkIndexes } from "../../index/types.ts";
import { unionPositions } from "../../index/postings.ts";
import type { ChunkMeta, ChunkView, TimeRange } from "../../storage/types.ts";
import { planBranch, type BranchOutcome } from "./branch-planner.ts";
import type { CompiledBranch, CompiledFilter } from "./compile.ts";
import type { BranchPlan, ChunkPlan, PlanStep } from "./types.ts";

/** Index-driven reading pays off while candidates are fewer than 1/DENSE_FACTOR of the records. */
const DENSE_FACTOR = 4;

export interface TimeBounds {
  start?: number;
  end?: number;
}

export interface ChunkWork {
  plan: ChunkPlan;
  /** Index-driven: ascending positions to read (and verify unless `exact`). */
  candidates?: Uint32Array;
  /** The candidates are exactly the matching positions (every predicate answered by an index). */
  exact?: boolean;
  /** Sequential: ascending, disjoint [from, to) position ranges to scan. */
  ranges?: Array<[number, number]>;
  /**
   * Sequential because the index hits were too dense to read one by one, yet the indexes
   * answered every predicate: the matching positions (within the time-pruned ranges), which a
   * count needs without reading any record (aggregate/fast-count.ts).
   */
  exactHits?: Uint32Array;
}

/** True when [range.min, range.max] can hold a time in [start, end). */
export function overlaps(range: TimeRange, b: TimeBounds): boolean {
  if (b.start !== undefined && range.max < b.start) return false;
  if (b.end !== undefined && range.min >= b.end) return false;
  return true;
}

function timeOverlap(range: TimeRange, b: TimeBounds): ChunkPlan["timeOverlap"] {
  if (b.start === undefined && b.end === undefined) return "unbounded";
  if (!overlaps(range, b)) return "outside";
  const inside = (b.start === undefined || range.min >= b.start) && (b.end === undefined || range.max < b.end);
  return inside ? "inside" : "overlaps";
}

function skipped(base: Omit<ChunkPlan, "scanMode" | "skipReason" | "estimatedScan" | "runtimeFilter" | "branches">, reason: string, branches: BranchPlan[] = []): ChunkWork {
  return { plan: { ...base, branches, scanMode: "skipped", skipReason: reason, runtimeFilter: "none", estimatedScan: 0 } };
}

/**
 * The plan of a sealed chunk that the time bounds rule out, from its listing alone, so a
 * time-bounded query opens neither its segment nor its indexes; undefined when it may overlap
 * (or is not sealed: an active chunk's listing may be behind its data).
 */
export function ruledOutByTime(store: string, meta: ChunkMeta, bounds: TimeBounds): ChunkWork | undefined {
  if (meta.state !== "sealed" || overlaps(meta.eventTs, bounds)) return undefined;
  const base = { store, chunk: meta.id, sealed: true, records: meta.records, eventStart: meta.eventTs.min, eventEnd: meta.eventTs.max, timeOverlap: "outside" as const };
  return skipped(base, meta.records === 0 ? "empty chunk" : "outside time range");
}

export async function planChunk(store: string, meta: ChunkMeta, reader: ChunkView, indexes: ChunkIndexes | undefined, filter: CompiledFilter, bounds: TimeBounds): Promise<ChunkWork> {
  const sealed = meta.state === "sealed";
  // A view that searches its raw bytes counts its records in the same pass as its first search
  // (text files read in place): look up first, so a needle query reads such a chunk once.
  const searchFirst = sealed && indexes !== undefined && filter.branches !== undefined && reader.positionsContaining !== undefined && overlaps(meta.eventTs, bounds);
  const early = searchFirst ? await planBranches(filter.branches!, indexes!, () => reader.count()) : undefined;
  const records = reader.count();
  const base = {
    store,
    chunk: meta.id,
    sealed,
    records,
    eventStart: meta.eventTs.min,
    eventEnd: meta.eventTs.max,
    timeOverlap: timeOverlap(meta.eventTs, bounds),
  };
  if (records === 0) return skipped(base, "empty chunk");
  if (sealed && !overlaps(meta.eventTs, bounds)) return skipped(base, "outside time range");

  // Block pruning by stored event-time min/max (event time is not monotonic within a chunk).
  const blocks = reader.blocks();
  const ranges: Array<[number, number]> = [];
  let kept = 0;
  for (const b of blocks) {
    if (sealed && !overlaps(b.eventTs, bounds)) continue;
    const last = ranges[ranges.length - 1];
    // Ranges never overlap, whatever the reader reports: an unsealed chunk's single block
    // grows to the records counted above, a sealed chunk's blocks are taken as they are.
    const to = sealed || b !== blocks[blocks.length - 1] ? b.first + b.count : records;
    if (last && last[1] === b.first) last[1] = to;
    else ranges.push([b.first, to]);
    kept += to - b.first;
  }
  const hasBounds = bounds.start !== undefined || bounds.end !== undefined;
  const timeSteps: PlanStep[] = [];
  if (sealed && hasBounds) {
    timeSteps.push({
      index: "time",
      predicate: "event time in range",
      before: records,
      after: kept,
      action: "seek",
      reason: "block_minmax",
      details: `${ranges.length === 0 ? 0 : blocks.filter((b) => overlaps(b.eventTs, bounds)).length} of ${blocks.length} blocks by event-time min/max`,
    });
  }
  if (kept === 0) return skipped(base, "no block in time range", [{ expression: "", steps: timeSteps, skipped: true, skipReason: "no block in time range", estimate: 0 }]);
  const timeNote = hasBounds ? " AND time bounds" : "";

  if (filter.branches === undefined || !sealed || indexes === undefined) {
    const why = filter.branches === undefined ? "no expression" : !sealed ? "active chunk: scanned" : "no indexes: scanned";
    const runtimeFilter = filter.branches === undefined ? (hasBounds ? "time bounds" : "none") : `${filter.expression}${timeNote}`;
    const branches: BranchPlan[] = [{ expression: filter.expression || why, steps: timeSteps, skipped: false, skipReason: "", estimate: kept }];
    return { plan: { ...base, branches, scanMode: "sequential", skipReason: "", runtimeFilter, estimatedScan: kept }, ranges };
  }

  const outcomes = early ?? (await planBranches(filter.branches, indexes, () => records));
  const branches = outcomes.map((o) => ({ ...o.plan, steps: [...timeSteps, ...o.plan.steps] }));
  const live = outcomes.filter((o) => !o.plan.skipped);
  if (live.length === 0) return skipped(base, filter.branches.length === 1 ? branches[0]!.skipReason : "all branches empty", branches);
  const runtimeFilter = filter.branches.length > 1 ? `DNF filter${timeNote}` : runtimeDescription(outcomes[0]!.checks, hasBounds);
  if (live.some((o) => o.candidates === undefined)) {
    return { plan: { ...base, branches, scanMode: "sequential", skipReason: "", runtimeFilter, estimatedScan: kept }, ranges };
  }
  let candidates = live[0]!.candidates!;
  for (let i = 1; i < live.length; i++) candidates = unionPositions(candidates, live[i]!.candidates!);
  candidates = withinRanges(candidates, ranges);
  if (candidates.length * DENSE_FACTOR > kept) {
    // So many candidates that reading them one by one costs more than scanning the blocks.
    const dense = `${filter.expression}${timeNote} (index hits too dense: scan)`;
    const work: ChunkWork = { plan: { ...base, branches, scanMode: "sequential", skipReason: "", runtimeFilter: dense, estimatedScan: kept }, ranges };
    if (live.every((o) => o.exact)) work.exactHits = candidates;
    return work;
  }
  const exact = live.every((o) => o.exact);
  const checked = exact ? (hasBounds ? "time bounds" : "none") : runtimeFilter;
  return { plan: { ...base, branches, scanMode: "index-driven", skipReason: "", runtimeFilter: checked, estimatedScan: candidates.length }, candidates, exact };
}

async function planBranches(branches: readonly CompiledBranch[], indexes: ChunkIndexes, records: () => number): Promise<BranchOutcome[]> {
  const outcomes: BranchOutcome[] = [];
  for (const b of branches) outcomes.push(await planBranch(b, indexes, records));
  return outcomes;
}

function runtimeDescription(checks: readonly string[], hasBounds: boolean): string {
  const parts = [...checks];
  if (hasBounds) parts.push("time bounds");
  return parts.length === 0 ? "none" : parts.join(" AND ");
}

/** Keeps the candidates that fall inside the time-pruned ranges. */
function withinRanges(c: Uint32Array, ranges: Array<[number, number]>): Uint32Array {
  if (ranges.length === 1 && ranges[0]![0] <= c[0]! && ranges[0]![1] > c[c.length - 1]!) return c;
  const out: number[] = [];
  let r = 0;
  for (const p of c) {
    while (r < ranges.length && ranges[r]![1] <= p) r++;
    if (r === ranges.length) break;
    if (p >= ranges[r]![0]) out.push(p);
  }
  return Uint32Array.from(out);
}
