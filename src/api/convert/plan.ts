/**
 * QueryPlan (src/query/engine/types.ts) -> proto, field for field, built as plain message
 * objects (no protobuf runtime, no descriptors), so `gastrolog query --explain` run in this
 * process reads back exactly what a server sends (app/query-convert.ts fromQueryPlanPb).
 */

import type { BranchPlan, ChunkCost, ChunkPlan, PlanStep, QueryPlan } from "../../query/engine/types.ts";
import type { BranchPlan as BranchPb, ChunkPlan as ChunkPb, PlanStep as StepPb, QueryCost as CostPb, QueryPlan as QueryPlanPb } from "../gen/gastrolog/v1/query_pb.ts";
import { i64 } from "./int64.ts";

function step(s: PlanStep): StepPb {
  return { $typeName: "gastrolog.v1.PlanStep", index: s.index, predicate: s.predicate, before: i64(s.before), after: i64(s.after), action: s.action, reason: s.reason, details: s.details };
}

function branch(b: BranchPlan): BranchPb {
  return { $typeName: "gastrolog.v1.BranchPlan", expression: b.expression, steps: b.steps.map(step), skipped: b.skipped, skipReason: b.skipReason, estimate: i64(b.estimate) };
}

function cost(c: ChunkCost | undefined): CostPb | undefined {
  return c ? { $typeName: "gastrolog.v1.QueryCost", blocks: i64(c.blocks), bytes: i64(c.bytes), records: i64(c.records), indexBytes: i64(c.indexBytes), millis: c.millis } : undefined;
}

function chunk(c: ChunkPlan): ChunkPb {
  const a = c.actual;
  return {
    $typeName: "gastrolog.v1.ChunkPlan",
    store: c.store,
    chunk: c.chunk,
    sealed: c.sealed,
    records: i64(c.records),
    eventStartUs: i64(c.eventStart),
    eventEndUs: i64(c.eventEnd),
    timeOverlap: c.timeOverlap,
    branches: c.branches.map(branch),
    scanMode: c.scanMode,
    skipReason: c.skipReason,
    runtimeFilter: c.runtimeFilter,
    estimatedScan: i64(c.estimatedScan),
    cost: cost(c.cost),
    actual: a ? { $typeName: "gastrolog.v1.ChunkActual", scanned: i64(a.scanned), matched: i64(a.matched), millis: a.millis, planMillis: a.planMillis, indexBytes: i64(a.indexBytes), indexReads: i64(a.indexReads) } : undefined,
  };
}

export function toQueryPlanPb(p: QueryPlan): QueryPlanPb {
  return {
    $typeName: "gastrolog.v1.QueryPlan",
    direction: p.direction,
    startUs: p.start === undefined ? undefined : i64(p.start),
    endUs: p.end === undefined ? undefined : i64(p.end),
    expression: p.expression,
    dnfBranches: p.dnfBranches,
    limit: p.limit,
    totalChunks: p.totalChunks,
    chunks: p.chunks.map(chunk),
    cost: cost(p.cost),
    stages: (p.stages ?? []).map((s) => ({ $typeName: "gastrolog.v1.PipelineStage", stage: s.stage, execution: s.execution })),
    scanBytesPerMs: p.scanBytesPerMs ?? 0,
  };
}
