/**
 * Pairs of keys past the per-key value cap ("spilled" pairs): a key=value section drops an
 * overflowed key's pairs from its "pairs" index, so `user_id=42` on a key with thousands of
 * values used to scan. The builder keeps collecting those pairs (up to MAX_SPILLED_PAIRS
 * distinct ones per section) and, at finish, admits whole keys, cheapest first, while their
 * estimated bytes fit the spill budget: a share of the chunk's raw bytes (SPILL_BUDGET_SHARE),
 * never more than the kv budget. An admitted key's pairs (all of them, exact) go to the
 * "spilled_pairs" index and the key to "spilled_keys"; the key stays listed in "overflow", so a
 * reader that does not know these indexes (older code) still scans it. A key not admitted, or
 * one with a value too long to index, is answered by scanning as before.
 */

import type { TermTable } from "./term-table.ts";

/** Keys admitted to the spill, with their exact key postings. */
export const SPILLED_KEYS_INDEX = "spilled_keys";
/** key NUL value terms of the admitted keys (every value they have in the chunk). */
export const SPILLED_PAIRS_INDEX = "spilled_pairs";
/** Distinct spilled pairs collected per section at most; past it new pairs' keys are not admitted. */
export const MAX_SPILLED_PAIRS = 1_000_000;
/** The spill budget as a share of the chunk's raw bytes (1/32: ~3%, e.g. 0.7 MB for a 22 MB chunk). */
export const SPILL_BUDGET_SHARE = 1 / 32;

/**
 * Estimated stored bytes of spilled pair term `pid` of a key of `keyLength` bytes: its value
 * bytes, 4 bytes of varints, and its postings (one position ~3 bytes, else ~2 per position + 2).
 * Front coding and compression only make the stored size smaller.
 */
export function spillTermCost(pairs: TermTable, pid: number, keyLength: number): number {
  const n = pairs.counts[pid]!;
  return pairs.termLength(pid) - keyLength - 1 + 4 + (n === 1 ? 3 : 2 * n + 2);
}

/**
 * The keys admitted to the spill: among `candidates` (key ids whose every pair was collected),
 * cheapest first while the running total of their pairs' costs fits `budget`.
 * `pairIds` are the collected pairs with `pairKey` mapping each to its key id.
 */
export function admitSpilledKeys(pairs: TermTable, pairIds: readonly number[], pairKey: Uint32Array, candidates: Uint8Array, keyLength: (kid: number) => number, budget: number): Uint8Array {
  const cost = new Float64Array(candidates.length);
  for (const pid of pairIds) {
    const kid = pairKey[pid]!;
    if (candidates[kid] === 1) cost[kid] += spillTermCost(pairs, pid, keyLength(kid));
  }
  const keys: number[] = [];
  for (let kid = 0; kid < candidates.length; kid++) if (candidates[kid] === 1) keys.push(kid);
  keys.sort((a, b) => cost[a]! - cost[b]! || a - b);
  const admitted = new Uint8Array(candidates.length);
  let total = 0;
  for (const kid of keys) {
    if (total + cost[kid]! > budget) break;
    total += cost[kid]!;
    admitted[kid] = 1;
  }
  return admitted;
}
