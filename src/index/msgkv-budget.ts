/**
 * Budget admission for the message key=value index: per candidate
 * set, greedy by record frequency descending, encoded cost ascending, then term bytes
 * ascending; admit while the running total (starting at the 9-byte upstream header) plus the
 * entry's cost fits the budget, and stop at the first entry that does not fit.
 */

import type { TermTable } from "./term-table.ts";

/** Default `kvBudget`: 10 MiB. */
export const DEFAULT_KV_BUDGET = 10 * 1024 * 1024;
/** Upstream message-KV header size, the running total's starting value. */
export const KV_BUDGET_HEADER_COST = 9;

/** "single": a key or value term; "pair": key NUL value (the NUL is not costed). */
export type KvTermKind = "single" | "pair";

/**
 * Estimated cost of term `id`: key/value `2 + len + 4 + 4 + 4n`, pair `2 + len(key) + 2 + len(value)
 * + 8 + 4n` (n = records holding it).
 */
export function kvEntryCost(table: TermTable, id: number, kind: KvTermKind): number {
  const n = table.counts[id]!;
  return kind === "single" ? 10 + table.termLength(id) + 4 * n : 11 + table.termLength(id) + 4 * n;
}

export interface Admission {
  /** Admitted term ids, sorted ascending by bytes (the order they are written in). */
  ids: number[];
  /** True when the budget left some term out. */
  dropped: boolean;
}

/** Applies the budget to every term of `table` for which `keep` (default: all) is true. */
export function admitByBudget(table: TermTable, kind: KvTermKind, budget: number, keep?: (id: number) => boolean): Admission {
  const sorted = table.sortedIds(keep);
  const rank = new Uint32Array(table.size);
  const cost = new Float64Array(table.size);
  sorted.forEach((id, r) => {
    rank[id] = r;
    cost[id] = kvEntryCost(table, id, kind);
  });
  const counts = table.counts;
  const greedy = sorted.slice().sort((a, b) => counts[b]! - counts[a]! || cost[a]! - cost[b]! || rank[a]! - rank[b]!);
  const admitted = new Uint8Array(table.size);
  let total = KV_BUDGET_HEADER_COST;
  let n = 0;
  for (const id of greedy) {
    if (total + cost[id]! > budget) break;
    total += cost[id]!;
    admitted[id] = 1;
    n++;
  }
  if (n === sorted.length) return { ids: sorted, dropped: false };
  return { ids: sorted.filter((id) => admitted[id] === 1), dropped: true };
}
