/**
 * Pairs of keys past the per-key value cap ("spilled" pairs): a key=value section drops an
 * overflowed key's pairs from its "pairs" index, so `user_id=42` on a key with thousands of
 * values used to scan. The builder keeps collecting those pairs (up to MAX_SPILLED_PAIRS
 * distinct ones per section) and, at finish, admits whole keys, cheapest first, while their
 * estimated bytes fit the spill budget: a share of the raw bytes of the chunk's records holding
 * pairs of this section (SPILL_BUDGET_SHARE),
 * never more than the kv budget; keys with values over SPILL_MAX_VALUE_BYTES are not collected.
 * An admitted key's pairs (all of them, exact) go to the
 * "spilled_pairs" index and the key to "spilled_keys" (both written only when some key is
 * admitted); the key stays listed in "overflow", so a
 * reader that does not know these indexes (older code) still scans it. A key not admitted, or
 * one with a value too long to index, is answered by scanning as before.
 * A key that another key=value section of the chunk scans is not spilled (kv-section-group.ts).
 */

import type { TermTable } from "./term-table.ts";

/** Keys admitted to the spill, with their exact key postings. */
export const SPILLED_KEYS_INDEX = "spilled_keys";
/** key NUL value terms of the admitted keys (every value they have in the chunk). */
export const SPILLED_PAIRS_INDEX = "spilled_pairs";
/** Distinct spilled pairs collected per section at most; past it new pairs' keys are not admitted. */
export const MAX_SPILLED_PAIRS = 1_000_000;
/** The spill budget as a share of the raw bytes of the records holding pairs (1/16: ~6%). */
export const SPILL_BUDGET_SHARE = 1 / 16;

/**
 * A key with a value longer than this is not spilled (ids such as UUIDs and timestamps, unique per
 * record, would cost more than the budget allows anyway; not collecting them keeps seals cheap).
 */
export const SPILL_MAX_VALUE_BYTES = 20;
/** Estimated bytes of a spilled term besides its value bytes: varints and one position. */
export const SPILL_TERM_COST = 5;
/** Estimated bytes of each further position of a spilled term. */
export const SPILL_POSITION_COST = 2;
/**
 * While collecting, a key stops being spilled once its running estimate (value bytes, no front
 * coding) passes twice the budget for the raw bytes seen so far plus this slack (a chunk's first
 * records would stop every key), so keys that cannot fit are not held.
 */
export const SPILL_SLACK = 64 * 1024;

/**
 * The keys admitted to the spill: cheapest first while the running total fits `budget`. `sorted`
 * are the collected pairs of the candidate keys in byte order and `pairKey` maps a pair to its
 * key id. A term costs its bytes past the prefix it shares with the previous term (front
 * coding), SPILL_TERM_COST, and SPILL_POSITION_COST per further position; compression only
 * makes the stored size smaller.
 */
export function admitSpilledKeys(pairs: TermTable, sorted: readonly number[], pairKey: Uint32Array, keyCount: number, budget: number): Uint8Array {
  const cost = new Float64Array(keyCount);
  const seen = new Uint8Array(keyCount);
  for (let i = 0; i < sorted.length; i++) {
    const pid = sorted[i]!;
    const shared = i === 0 ? 0 : pairs.sharedPrefix(sorted[i - 1]!, pid);
    const kid = pairKey[pid]!;
    seen[kid] = 1;
    cost[kid] += pairs.termLength(pid) - shared + SPILL_TERM_COST + SPILL_POSITION_COST * (pairs.counts[pid]! - 1);
  }
  const keys: number[] = [];
  for (let kid = 0; kid < keyCount; kid++) if (seen[kid] === 1) keys.push(kid);
  keys.sort((a, b) => cost[a]! - cost[b]! || a - b);
  const admitted = new Uint8Array(keyCount);
  let total = 0;
  for (const kid of keys) {
    if (total + cost[kid]! > budget) break;
    total += cost[kid]!;
    admitted[kid] = 1;
  }
  return admitted;
}
