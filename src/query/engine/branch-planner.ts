/**
 * Plans one DNF branch on one sealed chunk from its indexes: which predicates the indexes
 * answer (each kind looks itself up, predicates/), the candidate positions they give, which
 * need a runtime check, and whether the branch provably matches nothing. Explain prints these
 * steps; execution uses the candidates. A missing, damaged or lossy index never means "no
 * match": it means "check at runtime".
 */

import { errorMessage } from "../../core/errors.ts";
import type { ChunkIndexes } from "../../index/types.ts";
import { intersectPositions } from "../../index/postings.ts";
import type { CompiledBranch } from "./compile.ts";
import { runtimeStep, type Lookup, type Predicate } from "./predicates/types.ts";
import type { BranchPlan, PlanStep } from "./types.ts";

export interface BranchOutcome {
  plan: BranchPlan;
  /** Candidate positions (ascending) when some positive predicate used an index. */
  candidates?: Uint32Array;
  /** True when the indexes answered every predicate: the candidates are exactly the matches. */
  exact: boolean;
  /** Predicates each record (or candidate) is still checked against: scanned, narrowed only, negated. */
  checks: string[];
}

/**
 * Plans `branch` for a chunk whose indexes are `idx`; `records` gives its record count, asked
 * only after the first lookup (a chunk searched in place counts itself during that lookup).
 */
export async function planBranch(branch: CompiledBranch, idx: ChunkIndexes, records: () => number): Promise<BranchOutcome> {
  const steps: PlanStep[] = [];
  const checks: string[] = [];
  let candidates: Uint32Array | undefined;
  let count = -1;
  let exact = branch.negative.length === 0;
  for (const p of branch.positive) {
    const found = await lookup(p, idx);
    if (count < 0) count = records();
    if (found.kind === "runtime") {
      steps.push({ ...found.step, before: count, after: count });
      checks.push(found.step.predicate);
      exact = false;
      continue;
    }
    if (found.narrowed) {
      exact = false;
      checks.push(p.text);
    }
    const next = candidates === undefined ? found.positions : intersectPositions(candidates, found.positions);
    const empty = next.length === 0;
    const reason = found.positions.length === 0 ? "no_match" : "empty_intersection";
    steps.push({
      index: p.kind.stepIndex,
      predicate: p.text,
      before: count,
      after: next.length,
      action: empty ? "skipped" : "indexed",
      reason: empty ? reason : "indexed",
      details: found.details,
    });
    candidates = next;
    count = next.length;
    if (empty) {
      const why = reason === "no_match" ? `no match (${p.text})` : `empty intersection (${p.text})`;
      return { plan: { expression: branch.text, steps, skipped: true, skipReason: why, estimate: 0 }, exact: true, checks: [] };
    }
  }
  if (count < 0) count = records();
  for (const p of branch.negative) {
    steps.push({ index: "runtime", predicate: `NOT ${p.text}`, before: count, after: count, action: "runtime", reason: "negative_predicate", details: "NOT cannot use index" });
    checks.push(`NOT ${p.text}`);
  }
  return { plan: { expression: branch.text, steps, skipped: false, skipReason: "", estimate: count }, candidates, exact: exact && candidates !== undefined, checks };
}

/** The kind's index lookup for one positive predicate; a section that fails to decode means "scan". */
async function lookup(p: Predicate, idx: ChunkIndexes): Promise<Lookup> {
  try {
    return await p.kind.lookup(p, idx);
  } catch (err) {
    return runtimeStep(p, "index_missing", `index unreadable: ${errorMessage(err)}`);
  }
}
