/**
 * Renders a QueryPlan as the text people read (per chunk: header, steps per DNF branch, runtime filter; with event-time
 * bounds, index reasons and, after analyze, actual counts). Pure: plan in, text out.
 */

import type { BranchPlan, ChunkCost, ChunkPlan, PlanStep, QueryPlan } from "./types.ts";

function time(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 19);
}

function stepLine(s: PlanStep, i: number, indent: string, pad: number): string {
  const counts = `${String(s.before).padStart(7)} → ${String(s.after).padEnd(7)}`;
  return `${indent}${i}. ${s.index.padEnd(pad)} ${counts} [${s.action}] reason=${s.reason} ${s.details}`.trimEnd();
}

function branchLines(b: BranchPlan, multi: boolean, n: number): string[] {
  if (!multi) return b.steps.map((s, i) => stepLine(s, i + 1, "    ", 8));
  const out = [`    Branch ${n}: ${b.expression}`];
  out.push(...b.steps.map((s, i) => stepLine(s, i + 1, "      ", 8)));
  out.push(b.skipped ? `      Skipped: ${b.skipReason}` : `      Estimated: ~${b.estimate} records`);
  return out;
}

function costText(c: ChunkCost): string {
  return `${c.blocks} blocks, ${c.bytes} bytes to decompress, ${c.records} records to scan, ${c.indexBytes} index bytes read, ~${c.millis.toFixed(1)} ms`;
}

function chunkLines(c: ChunkPlan, n: number): string[] {
  const out = [`Chunk ${n}: ${c.chunk} (${c.sealed ? "sealed" : "active"}${c.store !== "default" ? `, store ${c.store}` : ""})`];
  if (c.records > 0) out.push(`  Time Range: ${time(c.eventStart)} - ${time(c.eventEnd)} [${c.timeOverlap}]`);
  out.push(`  Records: ${c.records}`);
  const multi = c.branches.length > 1;
  const steps = c.branches.flatMap((b, i) => branchLines(b, multi, i + 1));
  if (steps.length > 0) out.push("", "  Index Pipeline:", ...steps);
  if (c.scanMode === "skipped") {
    out.push("", `  Chunk skipped: ${c.skipReason}`);
  } else {
    out.push("", `  Scan: ${c.scanMode}`, `  Estimated Records Scanned: ~${c.estimatedScan}`, `  Runtime Filter: ${c.runtimeFilter}`);
    if (c.cost) out.push(`  Estimated Cost: ${costText(c.cost)}`);
  }
  if (c.actual) {
    const a = c.actual;
    out.push(`  Actual: scanned ${a.scanned}, matched ${a.matched}, ${a.millis.toFixed(2)} ms (planning and index lookups ${a.planMillis.toFixed(2)} ms, index read ${a.indexBytes} bytes in ${a.indexReads} reads)`);
  }
  return out;
}

export function renderExplain(plan: QueryPlan): string {
  const lines = ["QUERY EXECUTION PLAN", "====================", "", "Query:", `  Direction: ${plan.direction}`];
  if (plan.start !== undefined) lines.push(`  Start: ${time(plan.start)}`);
  if (plan.end !== undefined) lines.push(`  End: ${time(plan.end)}`);
  lines.push(`  Expression: ${plan.expression || "(all records)"}`);
  if (plan.dnfBranches.length > 1) {
    lines.push(`  DNF Branches: ${plan.dnfBranches.length}`);
    plan.dnfBranches.forEach((b, i) => lines.push(`    Branch ${i + 1}: ${b}`));
    lines.push("  Mode: DNF (index-accelerated branches)");
  }
  if (plan.limit > 0) lines.push(`  Limit: ${plan.limit}`);
  if (plan.stages) {
    lines.push("  Pipeline:");
    plan.stages.forEach((s, i) => lines.push(`    ${i + 1}. ${s.stage} [${s.execution}]`));
  }
  const selected = plan.chunks.filter((c) => c.scanMode !== "skipped").length;
  lines.push("", `Chunks: ${selected} of ${plan.totalChunks} selected`);
  if (plan.chunks.length === 0) lines.push("", "No chunks match the query time range.");
  if (plan.cost) lines.push(`Estimated Cost: ${costText(plan.cost)} at ${((plan.scanBytesPerMs ?? 0) / 1000).toFixed(0)} MB/s`);
  plan.chunks.forEach((c, i) => lines.push("", ...chunkLines(c, i + 1)));
  return lines.join("\n") + "\n";
}
