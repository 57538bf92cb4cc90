/**
 * Term statistics helpers the index types share for `analyze <chunk>`: list-size
 * distributions (p50/p95/max, top terms), position sums, record coverage, term listings. Each
 * walks a dictionary in term order (TermIndex.prefix("")); reports.ts runs them per type.
 */

import type { TermCount } from "./index-type.ts";
import type { TermIndex } from "./types.ts";

/** Distribution of list sizes over one index's terms. */
export interface FrequencyStats {
  terms: number;
  /** Sum of all list sizes. */
  positions: number;
  /** positions / terms (0 without terms). */
  avg: number;
  p50: number;
  p95: number;
  max: number;
  /** Most frequent terms, by count descending then term ascending. */
  top: TermCount[];
}

/** Nearest-rank percentile `p` (0..1) of ascending `sorted`; 0 when empty. */
function percentile(sorted: Uint32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Inserts `t` into `top` (best first, at most n) when it ranks; ties keep the earlier term. */
function rank(top: TermCount[], t: TermCount, n: number): void {
  if (top.length === n && top[n - 1]!.count >= t.count) return;
  let at = top.length;
  while (at > 0 && top[at - 1]!.count < t.count) at--;
  top.splice(at, 0, t);
  if (top.length > n) top.pop();
}

/** Frequency statistics of one index, with its `topN` most frequent terms. */
export async function frequencyStats(index: TermIndex, topN: number): Promise<FrequencyStats> {
  const counts = new Uint32Array(index.termCount);
  const top: TermCount[] = [];
  let i = 0;
  let positions = 0;
  for await (const e of index.prefix("")) {
    counts[i++] = e.count;
    positions += e.count;
    if (topN > 0) rank(top, { term: e.term, count: e.count }, topN);
  }
  const sorted = counts.subarray(0, i).sort();
  return {
    terms: i,
    positions,
    avg: i === 0 ? 0 : positions / i,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: i === 0 ? 0 : sorted[i - 1]!,
    top,
  };
}

/** Sum of the list sizes of every term of `index`. */
export async function sumPositions(index: TermIndex): Promise<number> {
  let sum = 0;
  for await (const e of index.prefix("")) sum += e.count;
  return sum;
}

/** Records (of `records`) that appear in any list of `index`. */
export async function coveredRecords(index: TermIndex, records: number): Promise<number> {
  const seen = new Uint8Array(records);
  let covered = 0;
  for await (const e of index.prefix("")) {
    const p = await e.positions();
    for (let j = 0; j < p.length; j++) {
      const pos = p[j]!;
      if (pos < records && seen[pos] === 0) {
        seen[pos] = 1;
        covered++;
      }
    }
  }
  return covered;
}

/** Term names of the first `n` terms of `index`, ascending. */
export async function firstTerms(index: TermIndex, n: number): Promise<string[]> {
  const out: string[] = [];
  if (n <= 0) return out;
  for await (const e of index.prefix("")) {
    out.push(e.term);
    if (out.length === n) break;
  }
  return out;
}
