/**
 * Retention selection, pure: which SEALED chunks a policy deletes. maxAge is a TTL on
 * the chunk's last write time (writeTs.max); maxBytes keeps the newest sealed chunks whose
 * stored bytes fit the budget (once one does not fit, it and every older chunk go); maxChunks
 * keeps the newest N. Union of the three; 0 disables each. Active, sealing and corrupt chunks
 * are never selected (corrupt ones are left for an operator to inspect).
 */

import type { ChunkId } from "../../core/ids.ts";
import type { ChunkMeta } from "../types.ts";

/** A store's retention limits; 0 disables a condition. */
export interface RetentionPolicy {
  /** Microseconds: delete chunks whose last write is older than now - maxAgeMicros. */
  maxAgeMicros: number;
  /** Keep the newest sealed chunks that fit in this many stored bytes. */
  maxBytes: number;
  /** Keep the newest this many sealed chunks. */
  maxChunks: number;
}

/** Why a chunk was selected: the first condition (in this order) that selects it. */
export type RetentionReason = "age" | "chunks" | "bytes";

export interface Expired {
  id: ChunkId;
  reason: RetentionReason;
  storedBytes: number;
}

/** True when no condition is enabled (nothing will ever be deleted). */
export function keepsEverything(p: RetentionPolicy): boolean {
  return p.maxAgeMicros <= 0 && p.maxBytes <= 0 && p.maxChunks <= 0;
}

/** The sealed chunks of `chunks` that `policy` deletes at time `now` (µs), oldest first. */
export function selectExpired(chunks: readonly ChunkMeta[], policy: RetentionPolicy, now: number): Expired[] {
  if (keepsEverything(policy)) return [];
  const sealed = chunks.filter((c) => c.state === "sealed").sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: Expired[] = [];
  let kept = 0;
  let keptBytes = 0;
  let overBudget = false;
  const reasons: (RetentionReason | undefined)[] = new Array(sealed.length);
  for (let i = sealed.length - 1; i >= 0; i--) {
    const c = sealed[i]!;
    let reason: RetentionReason | undefined;
    if (policy.maxAgeMicros > 0 && c.writeTs.max < now - policy.maxAgeMicros) reason = "age";
    else if (policy.maxChunks > 0 && kept >= policy.maxChunks) reason = "chunks";
    else if (policy.maxBytes > 0 && (overBudget || keptBytes + c.storedBytes > policy.maxBytes)) {
      reason = "bytes";
      overBudget = true;
    }
    reasons[i] = reason;
    if (reason === undefined) {
      kept++;
      keptBytes += c.storedBytes;
    }
  }
  sealed.forEach((c, i) => {
    const reason = reasons[i];
    if (reason) out.push({ id: c.id, reason, storedBytes: c.storedBytes });
  });
  return out;
}
