/**
 * Plans one DNF branch on one sealed chunk from its indexes: which predicates the indexes
 * answer (and the candidate positions they give), which need a runtime check, and whether the
 * branch provably matches nothing. Explain prints these steps; execution uses the candidates.
 * A missing or lossy index never means "no match": it means "check at runtime".
 */

import { errorMessage } from "../../core/errors.ts";
import { classifyTokenMiss } from "../../index/tokenizer.ts";
import type { ChunkIndexes, IndexProbe, ProbeAnswer } from "../../index/types.ts";
import { intersectPositions } from "../../index/postings.ts";
import type { CompiledBranch } from "./compile.ts";
import type { Predicate } from "./predicate.ts";
import type { BranchPlan, PlanStep } from "./types.ts";

export interface BranchOutcome {
  plan: BranchPlan;
  /** Candidate positions (ascending) when some positive predicate used an index. */
  candidates?: Uint32Array;
  /** True when the indexes answered every predicate: the candidates are exactly the matches. */
  exact: boolean;
}

type Lookup = { kind: "positions"; positions: Uint32Array; details: string } | { kind: "runtime"; step: Omit<PlanStep, "before" | "after"> };

/** Plans `branch` for a chunk of `records` records whose indexes are `idx`. */
export function planBranch(branch: CompiledBranch, idx: ChunkIndexes, records: number): BranchOutcome {
  const steps: PlanStep[] = [];
  let candidates: Uint32Array | undefined;
  let count = records;
  let exact = branch.negative.length === 0;
  for (const p of branch.positive) {
    const found = lookup(p, idx);
    if (found.kind === "runtime") {
      steps.push({ ...found.step, before: count, after: count });
      exact = false;
      continue;
    }
    const next = candidates === undefined ? found.positions : intersectPositions(candidates, found.positions);
    const empty = next.length === 0;
    const reason = found.positions.length === 0 ? "no_match" : "empty_intersection";
    steps.push({
      index: p.kind === "token" ? "token" : "kv",
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
      return { plan: { expression: branch.text, steps, skipped: true, skipReason: why, estimate: 0 }, exact: true };
    }
  }
  for (const p of branch.negative) {
    steps.push({ index: "runtime", predicate: `NOT ${p.text}`, before: count, after: count, action: "runtime", reason: "negative_predicate", details: "NOT cannot use index" });
  }
  return { plan: { expression: branch.text, steps, skipped: false, skipReason: "", estimate: count }, candidates, exact: exact && candidates !== undefined };
}

function runtime(p: Predicate, index: PlanStep["index"], reason: PlanStep["reason"], details: string): Lookup {
  return { kind: "runtime", step: { index, predicate: p.text, action: "runtime", reason, details } };
}

/** Index lookup for one positive predicate; a section that fails to decode means "scan". */
function lookup(p: Predicate, idx: ChunkIndexes): Lookup {
  const index = p.kind === "token" ? "token" : "kv";
  if (p.kind === "substring") return runtime(p, "token", classifyTokenMiss(p.word), `'${p.word}' not indexed: substring scan`);
  let a: ProbeAnswer;
  try {
    a = idx.probe(probeOf(p));
  } catch (err) {
    return runtime(p, index, "index_missing", `index unreadable: ${errorMessage(err)}`);
  }
  return a.kind === "runtime" ? runtime(p, index, a.reason, a.detail) : { kind: "positions", positions: a.positions, details: a.detail };
}

/** The index probe of an indexable predicate (keys and values are already lowercased). */
function probeOf(p: Predicate): IndexProbe {
  switch (p.kind) {
    case "token":
      return { kind: "token", token: p.needle };
    case "kv":
      return { kind: "kv", key: p.key, value: p.value };
    case "key_exists":
      return { kind: "key_exists", key: p.key };
    default:
      return { kind: "value_exists", value: p.value };
  }
}
