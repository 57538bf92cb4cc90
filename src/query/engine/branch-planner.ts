/**
 * Plans one DNF branch on one sealed chunk from its indexes: which predicates the indexes
 * answer (and the candidate positions they give), which need a runtime check, and whether the
 * branch provably matches nothing. Explain prints these steps; execution uses the candidates.
 * A missing or lossy index never means "no match": it means "check at runtime".
 */

import { errorMessage } from "../../core/errors.ts";
import { classifyTokenMiss } from "../../index/tokenizer.ts";
import { PAIR_SEPARATOR, type ChunkIndexes, type TermIndex } from "../../index/types.ts";
import { intersectPositions, unionPositions } from "../../index/postings.ts";
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
  try {
    return lookupUnchecked(p, idx);
  } catch (err) {
    return runtime(p, p.kind === "token" ? "token" : "kv", "index_missing", `index unreadable: ${errorMessage(err)}`);
  }
}

function lookupUnchecked(p: Predicate, idx: ChunkIndexes): Lookup {
  switch (p.kind) {
    case "substring":
      return runtime(p, "token", classifyTokenMiss(p.word), `'${p.word}' not indexed: substring scan`);
    case "token": {
      if (!idx.tokens) return runtime(p, "token", "index_missing", "no token index");
      const positions = idx.tokens.get(p.needle) ?? EMPTY;
      return { kind: "positions", positions, details: `token=${positions.length}` };
    }
    default:
      return kvLookup(p, idx);
  }
}

const EMPTY = new Uint32Array(0);

function kvLookup(p: Predicate, idx: ChunkIndexes): Lookup {
  const [attrIndex, msgIndex, label] =
    p.kind === "kv"
      ? [idx.attrPairs, idx.message?.pairs, "kv"]
      : p.kind === "key_exists"
        ? [idx.attrKeys, idx.message?.keys, "key"]
        : [idx.attrValues, idx.message?.values, "val"];
  const term = p.kind === "kv" ? p.key + PAIR_SEPARATOR + p.value : p.kind === "key_exists" ? p.key : p.value;
  if (!attrIndex || !msgIndex || !idx.message) return runtime(p, "kv", "index_missing", "no attribute or message key=value index");
  const attr = get(attrIndex, term);
  if (!idx.message.lossless) {
    return runtime(p, "kv", "budget_exhausted", `attr_${label}=${attr.length} msg_${label}=${idx.message.lossReason}`);
  }
  if (p.kind === "kv" && idx.message.valuesOverflowed(p.key)) {
    return runtime(p, "kv", "value_not_indexed", `attr_kv=${attr.length} msg_kv=key '${p.key}' has too many values to index`);
  }
  if (p.kind === "value_exists" && !idx.message.valuesComplete) {
    return runtime(p, "kv", "value_not_indexed", `attr_val=${attr.length} msg_val=incomplete (a key has too many values)`);
  }
  const msg = get(msgIndex, term);
  return { kind: "positions", positions: unionPositions(attr, msg), details: `attr_${label}=${attr.length} msg_${label}=${msg.length}` };
}

function get(index: TermIndex, term: string): Uint32Array {
  return index.get(term) ?? EMPTY;
}
