/**
 * The predicate plug-in contract (after VictoriaLogs' filter_*.go): a kind compiles the AST
 * leaves it handles, evaluates its compiled predicates over a whole batch in one pass, and
 * answers them from a sealed chunk's indexes when it can (by asking them an IndexProbe, which
 * every index type serving that probe kind answers: index/registry.ts). Each kind lives in its
 * own file and is listed once in registry.ts; the engine dispatches through `p.kind` and knows
 * no kind.
 */

import type { ChunkIndexes, IndexProbe } from "../../../index/types.ts";
import type { MaybePromise } from "../../../storage/types.ts";
import type { PredicateNode } from "../../lang/ast.ts";
import type { BatchMatcher } from "../batch-matcher.ts";
import type { PlanStep } from "../types.ts";

/** A compiled predicate; kinds add their own fields. */
export interface Predicate {
  readonly kind: PredicateKind;
  /** Canonical form for explain (`token(error)`, `level=error`); same kind and text = same predicate. */
  readonly text: string;
}

/**
 * What an index says about one positive predicate: the positions that can match (exactly the
 * matches unless `narrowed`: then only candidates the scan still checks, e.g. records having
 * the key of a comparison), or why a scan must check every record.
 */
export type Lookup =
  | { kind: "positions"; positions: Uint32Array; details: string; narrowed?: boolean }
  | { kind: "runtime"; step: Omit<PlanStep, "before" | "after"> };

export interface PredicateKind<P extends Predicate = Predicate> {
  /** Unique name (a kind may compile several leaf shapes; `text` tells them apart). */
  readonly name: string;
  /** The index family explain names for this kind's steps ("token", "kv", ...). */
  readonly stepIndex: string;
  /** Compiles `node` when this kind handles it, else undefined (the registry tries the next kind). */
  compile(node: PredicateNode): P | undefined;
  /** Sets out[i] = 1 for every record i of the matcher's batch that satisfies `p`. */
  evaluate(p: P, m: BatchMatcher, out: Uint8Array): void;
  /** The index answer for a positive `p` on a sealed chunk; may throw when a section is damaged. */
  lookup(p: P, idx: ChunkIndexes): MaybePromise<Lookup>;
}

/** The chunk's answer to `probe` as `p`'s lookup: the positions, or a runtime step saying why not. */
export async function probeLookup(p: Predicate, idx: ChunkIndexes, probe: IndexProbe): Promise<Lookup> {
  const a = await idx.probe(probe);
  return a.kind === "runtime" ? runtimeStep(p, a.reason, a.detail) : { kind: "positions", positions: a.positions, details: a.detail, narrowed: a.narrowed };
}

/** A runtime step: the predicate is checked while scanning, for the reason given. */
export function runtimeStep(p: Predicate, reason: string, details: string): Lookup {
  return { kind: "runtime", step: { index: p.kind.stepIndex, predicate: p.text, action: "runtime", reason, details } };
}
