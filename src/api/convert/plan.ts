/** QueryPlan (src/query/engine/types.ts) -> proto, field for field. */

import { create } from "@bufbuild/protobuf";
import type { BranchPlan, ChunkCost, ChunkPlan, PlanStep, QueryPlan } from "../../query/engine/types.ts";
import { QueryPlanSchema, type QueryPlan as QueryPlanPb } from "../gen/gastrolog/v1/query_pb.ts";
import { i64 } from "./int64.ts";

function step(s: PlanStep) {
  return { index: s.index, predicate: s.predicate, before: i64(s.before), after: i64(s.after), action: s.action, reason: s.reason, details: s.details };
}

function branch(b: BranchPlan) {
  return { expression: b.expression, steps: b.steps.map(step), skipped: b.skipped, skipReason: b.skipReason, estimate: i64(b.estimate) };
}

function cost(c: ChunkCost | undefined) {
  return c ? { blocks: i64(c.blocks), bytes: i64(c.bytes), records: i64(c.records), indexBytes: i64(c.indexBytes), millis: c.millis } : undefined;
}

function chunk(c: ChunkPlan) {
  return {
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
    actual: c.actual ? { scanned: i64(c.actual.scanned), matched: i64(c.actual.matched), millis: c.actual.millis, planMillis: c.actual.planMillis, indexBytes: i64(c.actual.indexBytes), indexReads: i64(c.actual.indexReads) } : undefined,
  };
}

export function toQueryPlanPb(p: QueryPlan): QueryPlanPb {
  return create(QueryPlanSchema, {
    direction: p.direction,
    startUs: p.start === undefined ? undefined : i64(p.start),
    endUs: p.end === undefined ? undefined : i64(p.end),
    expression: p.expression,
    dnfBranches: p.dnfBranches,
    limit: p.limit,
    totalChunks: p.totalChunks,
    chunks: p.chunks.map(chunk),
    cost: cost(p.cost),
    stages: p.stages ?? [],
    scanBytesPerMs: p.scanBytesPerMs ?? 0,
  });
}
