/**
 * Public shapes of the query engine: what a search asks for, what it yields, and the plan
 * that both execution and explain use (one planner, so explain cannot disagree with execution).
 */

import type { LogRecord, RecordRef } from "../../core/record.ts";
import type { Expr } from "../lang/ast.ts";
import type { PipeStage } from "../lang/pipe-ast.ts";

export interface SearchRequest {
  expr?: Expr;
  /** Inclusive lower bound on event time (µs), or undefined. */
  start?: number;
  /** Exclusive upper bound on event time (µs), or undefined. */
  end?: number;
  /** Matches to return; 0 = unlimited. Context records do not count. */
  limit: number;
  /** Newest first. */
  reverse: boolean;
  contextBefore: number;
  contextAfter: number;
  /** Resume token from a previous page. */
  resume?: string;
  /** The stages after `|`: a search runs record stages (where, head); table stages go to tableQuery. */
  stages?: PipeStage[];
  /** `timeout=` of the text (µs); the API turns it (or its default) into the abort signal. */
  timeout?: number;
  /** `force=true`: run even when the estimate is above the server's limit. */
  force?: boolean;
}

export interface SearchHit {
  store: string;
  ref: RecordRef;
  record: LogRecord;
  /** True for a context record shown around a match, false for a match. */
  context: boolean;
}

/** How a search ended. */
export interface SearchDone {
  /** Present when the search stopped at the limit: pass it back to continue. */
  resume?: string;
}

export type StepAction = "seek" | "indexed" | "runtime" | "skipped";

export interface PlanStep {
  /** Which index family the step used or wanted: "time", "runtime", or a predicate kind's (e.g. "token", "kv"). */
  index: string;
  predicate: string;
  /** Candidate count before and after this step. */
  before: number;
  after: number;
  action: StepAction;
  /**
   * Why, as a snake_case word: "binary_search", "block_minmax", "indexed", "no_match",
   * "empty_intersection", "negative_predicate", or a predicate kind's own (e.g. "index_missing",
   * "non_ascii", "too_short", "numeric", "not_indexed", "budget_exhausted", "value_not_indexed").
   */
  reason: string;
  details: string;
}

export interface BranchPlan {
  expression: string;
  steps: PlanStep[];
  skipped: boolean;
  skipReason: string;
  /** Candidate positions from indexes, or undefined when the branch needs a scan. */
  estimate: number;
}

export type ScanMode = "index-driven" | "sequential" | "skipped";

export interface ChunkPlan {
  store: string;
  chunk: string;
  sealed: boolean;
  records: number;
  eventStart: number;
  eventEnd: number;
  /** Whether the chunk lies fully inside, overlaps or lies outside the query time range. */
  timeOverlap: "inside" | "overlaps" | "outside" | "unbounded";
  branches: BranchPlan[];
  scanMode: ScanMode;
  skipReason: string;
  runtimeFilter: string;
  estimatedScan: number;
  /** Set by explain (not analyze): what running the chunk should cost. */
  cost?: ChunkCost;
  /** Set by explain analyze. */
  actual?: ChunkActual;
}

/** Explain's estimate of running a chunk (or, summed, a query). */
export interface ChunkCost {
  /** Blocks to decompress and their raw bytes (each block's share of the chunk's raw bytes). */
  blocks: number;
  bytes: number;
  /** Records to check. */
  records: number;
  /** Index bytes read to plan it (0 when the process cache held them). */
  indexBytes: number;
  /** Expected time of the scan at the measured scan rate. */
  millis: number;
}

/** What running a chunk cost (explain analyze). */
export interface ChunkActual {
  scanned: number;
  matched: number;
  /** Whole chunk: planning, index lookups and the scan. */
  millis: number;
  /** Of millis: planning and index lookups. */
  planMillis: number;
  /** Bytes and reads the index lookups took from storage (0 when cached). */
  indexBytes: number;
  indexReads: number;
}

export interface QueryPlan {
  direction: "forward" | "reverse";
  start?: number;
  end?: number;
  expression: string;
  dnfBranches: string[];
  limit: number;
  totalChunks: number;
  chunks: ChunkPlan[];
  /** The pipe stages after the filter, each with how it runs (pipe-ast.ts executionClass). */
  stages?: { stage: string; execution: string }[];
  /** Set by explain (not analyze): the chunks' costs summed, and the scan rate used (raw bytes per ms). */
  cost?: ChunkCost;
  scanBytesPerMs?: number;
}
