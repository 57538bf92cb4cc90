/**
 * Public shapes of the query engine: what a search asks for, what it yields, and the plan
 * that both execution and explain use (one planner, so explain cannot disagree with execution).
 */

import type { LogRecord, RecordRef } from "../../core/record.ts";
import type { Expr } from "../lang/ast.ts";

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
}

export interface SearchHit {
  store: string;
  ref: RecordRef;
  record: LogRecord;
  /** True for a context record shown around a match, false for a match. */
  context: boolean;
}

export type StepIndex = "time" | "token" | "kv" | "runtime";
export type StepAction = "seek" | "indexed" | "runtime" | "skipped";
export type StepReason =
  | "binary_search"
  | "block_minmax"
  | "indexed"
  | "index_missing"
  | "non_ascii"
  | "too_short"
  | "numeric"
  | "not_indexed"
  | "empty_intersection"
  | "no_match"
  | "budget_exhausted"
  | "value_not_indexed"
  | "negative_predicate";

export interface PlanStep {
  index: StepIndex;
  predicate: string;
  /** Candidate count before and after this step. */
  before: number;
  after: number;
  action: StepAction;
  reason: StepReason;
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
  /** Set by explain analyze. */
  actual?: ChunkActual;
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
}
