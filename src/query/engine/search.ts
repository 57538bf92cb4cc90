/**
 * Search as a pipeline: the chunk source (planned, time- and index-pruned batches) → the
 * filter stage → the request's record stages (where, head) and `pipes` → the records
 * sink (context, limit, resume token). One Pacer runs through all of it: the search yields to
 * the event loop every few milliseconds of work and stops promptly when `signal` aborts.
 */

import { LogError } from "../../core/errors.ts";
import { compileFilter } from "./compile.ts";
import { Pacer } from "./pacer.ts";
import { chunkBatches } from "./pipeline/chunk-batches.ts";
import { filterStage } from "./pipeline/filter.ts";
import { hitsSink } from "./pipeline/hits.ts";
import { through, type RowBatch, type Stage } from "./pipeline/types.ts";
import { decodeResume } from "./resume.ts";
import { recordStage } from "./aggregate/record-stages.ts";
import { isTablePipeline } from "../lang/pipe-ast.ts";
import { orderedChunks, type SearchSource } from "./source.ts";
import type { ChunkMeta, DecodeBuffer } from "../../storage/types.ts";
import type { ChunkPlan, SearchDone, SearchHit, SearchRequest } from "./types.ts";

export interface SearchOptions {
  /** Aborts the search (client gone, deadline): it throws LogError("cancelled") within a slice. */
  signal?: AbortSignal;
  /** Called after each chunk with its plan and actual counts, times and index reads (explain analyze). */
  onChunk?: (plan: ChunkPlan) => void;
  /** Told about chunks that could not be searched (corrupt data); the search goes on. */
  onWarning?: (message: string) => void;
  /** Stages between the filter and the sink, in order. */
  pipes?: readonly Stage<RowBatch, RowBatch>[];
}

export async function* search(src: SearchSource, req: SearchRequest, opts: SearchOptions = {}): AsyncGenerator<SearchHit, SearchDone> {
  const stages = req.stages ?? [];
  if (isTablePipeline(stages)) throw new LogError("invalid_argument", "this query makes a table (| stats, | timechart or | fields): run it with QueryService.Aggregate");
  const pacer = new Pacer(opts.signal);
  // The sink copies each hit's record out of its batch before the next batch is read, and the
  // record stages stream: forward scans can decode every block into one buffer.
  const { chunks, batches } = matchingBatches(src, req, opts, pacer, { bytes: new Uint8Array(0) });
  const pipes = [...stages.map((s) => recordStage(s, pacer)), ...(opts.pipes ?? [])];
  return yield* hitsSink(src, chunks, req, through(batches, pipes), pacer);
}

/**
 * The source and filter part of a search: the store's chunks in iteration order and the
 * batches of rows matching `req` (from its resume point on). Searches feed them to the records
 * sink, table queries (aggregate/) to their stages. `reuse`: see ChunkBatchesOptions.reuse.
 */
export function matchingBatches(src: SearchSource, req: SearchRequest, opts: SearchOptions, pacer: Pacer, reuse?: DecodeBuffer): { chunks: ChunkMeta[]; batches: AsyncIterable<RowBatch> } {
  const filter = compileFilter(req.expr);
  const bounds = { start: req.start, end: req.end };
  const chunks = orderedChunks(src, req.reverse);
  let startAt = 0;
  let after: number | undefined;
  if (req.resume !== undefined) {
    const resume = decodeResume(req.resume);
    if (resume.store !== src.name || resume.reverse !== req.reverse) {
      throw new LogError("invalid_argument", `resume token belongs to a ${resume.reverse ? "reverse" : "forward"} search of store '${resume.store}', not this one`);
    }
    startAt = chunks.findIndex((c) => c.id === resume.chunk);
    if (startAt < 0) {
      throw new LogError("not_found", `resume token points into chunk ${resume.chunk}, which no longer exists (deleted by retention?); run the query again without the token`);
    }
    after = resume.pos;
  }
  const batches = chunkBatches(src, chunks, { filter, bounds, reverse: req.reverse, startAt, after, onChunk: opts.onChunk, onWarning: opts.onWarning, reuse }, pacer);
  return { chunks, batches: filterStage(filter, bounds, pacer)(batches) };
}
