/**
 * The filter stage: keeps the rows of a batch that lie in the time bounds and satisfy the DNF
 * filter. Dense row sets are evaluated predicate by predicate over the whole batch (one pass
 * each, see BatchMatcher), yielding to the event loop between predicates when the slice is used
 * up; sparse ones (index candidates) are checked one record at a time. Search and follow both
 * filter through here, so they cannot disagree.
 */

import { sliceBatch } from "../../../storage/record-batch.ts";
import type { RecordBatch } from "../../../storage/types.ts";
import { BatchMatcher } from "../batch-matcher.ts";
import type { TimeBounds } from "../chunk-planner.ts";
import { matchesFilter, type CompiledFilter } from "../compile.ts";
import type { Pacer } from "../pacer.ts";
import type { Predicate } from "../predicates/types.ts";
import type { RowBatch, Stage } from "./types.ts";

/** Rows at most 1/SPARSE of the batch are checked one by one instead of scanning the batch. */
const SPARSE = 8;

/** The filter as a pipeline stage; counts matches into each batch's chunk stats. */
export function filterStage(filter: CompiledFilter, bounds: TimeBounds, pacer: Pacer): Stage<RowBatch, RowBatch> {
  return async function* (input) {
    for await (const rb of input) {
      const rows = await keepRows(rb.verified ? undefined : filter, bounds, rb.batch, rb.rows, pacer);
      rb.stats.matched += rows.length;
      if (rows.length > 0) yield { ...rb, rows };
    }
  };
}

/**
 * The subset of `rows` (order kept) whose records are inside `bounds` and match `filter`
 * (undefined: time bounds only).
 */
export async function keepRows(filter: CompiledFilter | undefined, bounds: TimeBounds, batch: RecordBatch, rows: Uint32Array, pacer: Pacer): Promise<Uint32Array> {
  let kept = bounds.start !== undefined || bounds.end !== undefined ? rows.filter((i) => inTime(batch, i, bounds)) : rows;
  if (filter?.branches === undefined || kept.length === 0) return kept;
  if (kept.length * SPARSE <= batch.count) return sparseMatches(filter, batch, kept, pacer);
  return denseMatches(filter.branches, new BatchMatcher(batch, kept.length === batch.count ? undefined : kept), kept, pacer);
}

function inTime(batch: RecordBatch, i: number, b: TimeBounds): boolean {
  const t = batch.sourceTs[i] !== 0 ? batch.sourceTs[i]! : batch.ingestTs[i]!;
  return (b.start === undefined || t >= b.start) && (b.end === undefined || t < b.end);
}

/** One record at a time, each viewed as a one-record batch (no pass over the whole batch). */
async function sparseMatches(filter: CompiledFilter, batch: RecordBatch, rows: Uint32Array, pacer: Pacer): Promise<Uint32Array> {
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (const i of rows) {
    if (pacer.due()) await pacer.pause();
    if (matchesFilter(filter, new BatchMatcher(sliceBatch(batch, i, i + 1)), 0)) out[n++] = i;
  }
  return out.subarray(0, n);
}

const NO_ROWS = new Uint32Array(0);

/**
 * Branch by branch over the rows not yet decided: a branch's positives narrow its candidates,
 * its negatives remove some; what remains matches. A predicate's flags are computed (one pass
 * over the batch) only when some candidate still needs them; a positive no record of the batch
 * satisfies (a rare word) ends its branch without a pass over the rows, and a batch where no
 * branch matched returns without one.
 */
async function denseMatches(branches: CompiledFilter["branches"] & object, m: BatchMatcher, rows: Uint32Array, pacer: Pacer): Promise<Uint32Array> {
  let matched: Uint8Array | undefined;
  let open = rows;
  for (const b of branches) {
    let cand = open;
    for (const p of b.positive) {
      if (cand.length === 0) break;
      const f = await flags(m, p, pacer);
      cand = m.any(p) ? rowsWhere(cand, f, true) : NO_ROWS;
    }
    for (const p of b.negative) {
      if (cand.length === 0) break;
      const f = await flags(m, p, pacer);
      cand = rowsWhere(cand, f, false);
    }
    if (cand.length === 0) continue;
    // One branch (the common case): its candidates are the answer, in row order already.
    if (branches.length === 1) return cand;
    matched ??= new Uint8Array(m.batch.count);
    for (const i of cand) matched[i] = 1;
    open = rowsWhere(open, matched, false);
    if (open.length === 0) break;
  }
  return matched ? rowsWhere(rows, matched, true) : NO_ROWS;
}

/**
 * The rows (order kept) whose flag is set (`set`) or not: a plain loop into one reused buffer,
 * several times cheaper than TypedArray.filter with a callback on these row counts (the profile
 * of a full scan showed filter callbacks as the largest cost after decompression), then a copy
 * of only the rows kept (a rare word keeps a few of thousands: no batch-sized array each time).
 */
function rowsWhere(rows: Uint32Array, f: Uint8Array, set: boolean): Uint32Array {
  if (scratch.length < rows.length) scratch = new Uint32Array(Math.max(rows.length, scratch.length * 2));
  const out = scratch;
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if ((f[i] === 1) === set) out[n++] = i;
  }
  return n === rows.length ? rows : out.slice(0, n);
}

/** rowsWhere's working buffer (it returns a copy of the rows kept, sized to them). */
let scratch = new Uint32Array(1 << 16);

async function flags(m: BatchMatcher, p: Predicate, pacer: Pacer): Promise<Uint8Array> {
  if (pacer.due()) await pacer.pause();
  return m.flags(p);
}
