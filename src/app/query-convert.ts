/**
 * Proto -> engine plan for `gastrolog query --explain --output json`, and planJson, its one
 * serializer (key order fixed here, not by how a plan was built).
 */

import type { BranchPlan, ChunkCost, ChunkPlan, PlanStep, QueryPlan as EnginePlan } from "../query/engine/types.ts";
import type { ChunkPlan as ChunkPb, QueryCost as CostPb, QueryPlan as PlanPb } from "../api/gen/gastrolog/v1/query_pb.ts";

function cost(c: CostPb): ChunkCost {
  return { blocks: Number(c.blocks), bytes: Number(c.bytes), records: Number(c.records), indexBytes: Number(c.indexBytes), millis: c.millis };
}

function chunk(c: ChunkPb): ChunkPlan {
  const plan: ChunkPlan = {
    store: c.store,
    chunk: c.chunk,
    sealed: c.sealed,
    records: Number(c.records),
    eventStart: Number(c.eventStartUs),
    eventEnd: Number(c.eventEndUs),
    timeOverlap: c.timeOverlap as ChunkPlan["timeOverlap"],
    branches: c.branches.map(
      (b): BranchPlan => ({
        expression: b.expression,
        steps: b.steps.map(
          (s): PlanStep => ({
            index: s.index as PlanStep["index"],
            predicate: s.predicate,
            before: Number(s.before),
            after: Number(s.after),
            action: s.action as PlanStep["action"],
            reason: s.reason as PlanStep["reason"],
            details: s.details,
          }),
        ),
        skipped: b.skipped,
        skipReason: b.skipReason,
        estimate: Number(b.estimate),
      }),
    ),
    scanMode: c.scanMode as ChunkPlan["scanMode"],
    skipReason: c.skipReason,
    runtimeFilter: c.runtimeFilter,
    estimatedScan: Number(c.estimatedScan),
  };
  if (c.cost) plan.cost = cost(c.cost);
  if (c.actual) {
    const a = c.actual;
    plan.actual = { scanned: Number(a.scanned), matched: Number(a.matched), millis: a.millis, planMillis: a.planMillis, indexBytes: Number(a.indexBytes), indexReads: Number(a.indexReads) };
  }
  return plan;
}

/** A plan from ExplainResponse as the engine's QueryPlan. */
export function fromQueryPlanPb(p: PlanPb | undefined): EnginePlan {
  const plan: EnginePlan = {
    direction: p?.direction === "reverse" ? "reverse" : "forward",
    expression: p?.expression ?? "",
    dnfBranches: p?.dnfBranches ?? [],
    limit: p?.limit ?? 0,
    totalChunks: p?.totalChunks ?? 0,
    chunks: p?.chunks.map(chunk) ?? [],
  };
  if (p?.stages.length) plan.stages = p.stages.map((s) => ({ stage: s.stage, execution: s.execution }));
  if (p?.cost) {
    plan.cost = cost(p.cost);
    plan.scanBytesPerMs = p.scanBytesPerMs;
  }
  if (p?.startUs !== undefined) plan.start = Number(p.startUs);
  if (p?.endUs !== undefined) plan.end = Number(p.endUs);
  return plan;
}

const STEP_KEYS = ["index", "predicate", "before", "after", "action", "reason", "details"] as const;
const BRANCH_KEYS = ["expression", "steps", "skipped", "skipReason", "estimate"] as const;
const CHUNK_KEYS = ["store", "chunk", "sealed", "records", "eventStart", "eventEnd", "timeOverlap", "branches", "scanMode", "skipReason", "runtimeFilter", "estimatedScan", "cost", "actual"] as const;
const PLAN_KEYS = ["direction", "start", "end", "expression", "dnfBranches", "limit", "stages", "totalChunks", "cost", "scanBytesPerMs", "chunks"] as const;

function pick<T extends object>(o: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** One line of JSON for a plan with a fixed key order (absent optional fields omitted). */
export function planJson(p: EnginePlan): string {
  const chunks = p.chunks.map((c) => ({
    ...pick(c, CHUNK_KEYS),
    branches: c.branches.map((b) => ({ ...pick(b, BRANCH_KEYS), steps: b.steps.map((s) => pick(s, STEP_KEYS)) })),
  }));
  return JSON.stringify({ ...pick(p, PLAN_KEYS), chunks });
}
