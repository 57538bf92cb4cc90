/**
 * Explain: the plan of a query per chunk, built by the SAME planner execution uses
 * (planChunk), so what explain says is what a search does, with its cost estimate (cost.ts). `analyze` runs the search and adds
 * the actual records scanned, matched and time per chunk.
 */

import { toDnf, describeBranch } from "../lang/dnf.ts";
import { executionClass } from "../lang/pipe-ast.ts";
import { printStage } from "../lang/pipe-printer.ts";
import { planChunk } from "./chunk-planner.ts";
import { compileFilter } from "./compile.ts";
import { chunkCost, DEFAULT_SCAN_BYTES_PER_MS, totalCost } from "./cost.ts";
import { Pacer } from "./pacer.ts";
import { search } from "./search.ts";
import { orderedChunks, type SearchSource } from "./source.ts";
import type { ChunkMeta } from "../../storage/types.ts";
import type { ChunkPlan, QueryPlan, SearchRequest } from "./types.ts";

function header(src: SearchSource, req: SearchRequest, chunks: ChunkPlan[]): QueryPlan {
  return {
    direction: req.reverse ? "reverse" : "forward",
    start: req.start,
    end: req.end,
    expression: req.expr ? compileFilter(req.expr).expression : "",
    dnfBranches: req.expr ? toDnf(req.expr).map(describeBranch) : [],
    limit: req.limit,
    totalChunks: src.store.chunks().length,
    chunks,
    ...(req.stages?.length ? { stages: req.stages.map((s) => ({ stage: printStage(s), execution: executionClass(s) })) } : {}),
  };
}

function corruptPlan(store: string, meta: ChunkMeta): ChunkPlan {
  return {
    store,
    chunk: meta.id,
    sealed: true,
    records: meta.records,
    eventStart: meta.eventTs.min,
    eventEnd: meta.eventTs.max,
    timeOverlap: "unbounded",
    branches: [],
    scanMode: "skipped",
    skipReason: "corrupt chunk: not searched",
    runtimeFilter: "none",
    estimatedScan: 0,
  };
}

/**
 * Plans every chunk of the store without reading record data (index lookups may still be
 * costly, so it yields between chunks and stops when `signal` aborts).
 */
export async function explain(src: SearchSource, req: SearchRequest, signal?: AbortSignal, bytesPerMs = DEFAULT_SCAN_BYTES_PER_MS): Promise<QueryPlan> {
  const filter = compileFilter(req.expr);
  const pacer = new Pacer(signal);
  const plans: ChunkPlan[] = [];
  for (const meta of orderedChunks(src, req.reverse)) {
    if (pacer.due()) await pacer.pause();
    if (meta.state === "corrupt") {
      plans.push(corruptPlan(src.name, meta));
      continue;
    }
    let reader;
    try {
      reader = await src.store.open(meta.id);
    } catch {
      continue; // deleted since listing
    }
    try {
      const now = reader.meta;
      const idx = now.state === "sealed" ? await src.indexes(reader, now) : undefined;
      const read = idx?.read.bytes ?? 0;
      const work = await planChunk(src.name, now, reader, idx, filter, { start: req.start, end: req.end });
      plans.push({ ...work.plan, cost: chunkCost(now, reader.blocks(), work, (idx?.read.bytes ?? 0) - read, bytesPerMs) });
    } finally {
      reader.close();
    }
  }
  return { ...header(src, req, plans), cost: totalCost(plans.map((p) => p.cost ?? totalCost([]))), scanBytesPerMs: bytesPerMs };
}

/** Runs the query (to its limit) and reports plans with actual counts and times. */
export async function explainAnalyze(src: SearchSource, req: SearchRequest, signal?: AbortSignal): Promise<QueryPlan> {
  const plans: ChunkPlan[] = [];
  const it = search(src, { ...req, contextBefore: 0, contextAfter: 0 }, { signal, onChunk: (p) => plans.push(p) });
  while (!(await it.next()).done) {
    // drain: only the per-chunk reports matter
  }
  return header(src, req, plans);
}
