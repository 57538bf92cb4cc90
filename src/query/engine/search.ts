/**
 * The search driver: walks a store's chunks in order, plans each with the shared planner,
 * scans it, and yields hits (with context records when asked) until the limit. Returns a resume
 * token naming the last match when it stopped early. Yields to the event loop regularly so
 * many queries and ingestion share the process.
 */

import { CorruptError, LogError } from "../../core/errors.ts";
import { planChunk, type TimeBounds } from "./chunk-planner.ts";
import { scanChunk, type ScanStats } from "./chunk-scan.ts";
import { compileFilter } from "./compile.ts";
import { ContextWindow } from "./context.ts";
import { decodeResume, encodeResume, type ResumePoint } from "./resume.ts";
import { orderedChunks, type SearchSource } from "./source.ts";
import type { ChunkActual, ChunkPlan, SearchHit, SearchRequest } from "./types.ts";

export interface SearchDone {
  /** Present when the search stopped at the limit: pass it back to continue. */
  resume?: string;
}

export interface SearchOptions {
  signal?: AbortSignal;
  /** Called after each chunk with its plan and actual counts, times and index reads (explain analyze). */
  onChunk?: (plan: ChunkPlan) => void;
  /** Told about chunks that could not be searched (corrupt data); the search goes on. */
  onWarning?: (message: string) => void;
}

/** Milliseconds of scanning between yields to the event loop. */
const SLICE_MS = 8;

export async function* search(src: SearchSource, req: SearchRequest, opts: SearchOptions = {}): AsyncGenerator<SearchHit, SearchDone> {
  const filter = compileFilter(req.expr);
  const bounds: TimeBounds = { start: req.start, end: req.end };
  const chunks = orderedChunks(src, req.reverse);
  let resume: ResumePoint | undefined;
  let startAt = 0;
  if (req.resume !== undefined) {
    resume = decodeResume(req.resume);
    if (resume.store !== src.name || resume.reverse !== req.reverse) {
      throw new LogError("invalid_argument", `resume token belongs to a ${resume.reverse ? "reverse" : "forward"} search of store '${resume.store}', not this one`);
    }
    startAt = chunks.findIndex((c) => c.id === resume!.chunk);
    if (startAt < 0) {
      throw new LogError("not_found", `resume token points into chunk ${resume.chunk}, which no longer exists (deleted by retention?); run the query again without the token`);
    }
  }
  const context = req.contextBefore > 0 || req.contextAfter > 0 ? new ContextWindow(src, chunks, req) : undefined;
  let matches = 0;
  let last: ResumePoint | undefined;
  let sliceStart = performance.now();
  for (let ci = startAt; ci < chunks.length; ci++) {
    const meta = chunks[ci]!;
    if (meta.state === "corrupt") {
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} is corrupt and was not searched`);
      continue;
    }
    let reader;
    try {
      reader = src.store.open(meta.id);
    } catch (err) {
      if (err instanceof LogError && err.code === "not_found") continue; // deleted while we ran
      if (err instanceof CorruptError) {
        opts.onWarning?.(`chunk ${meta.id} of store ${src.name} was not searched: ${err.message}`);
        continue;
      }
      throw err;
    }
    try {
      const t0 = performance.now();
      // Plan from the reader's meta, not the listing: the chunk may have sealed since.
      const now = reader.meta;
      const indexes = now.state === "sealed" ? src.indexes(reader, now) : undefined;
      const work = planChunk(src.name, now, reader, indexes, filter, bounds);
      const stats: ScanStats = { scanned: 0, matched: 0 };
      const planMillis = performance.now() - t0;
      const actual = (): ChunkActual => ({ ...stats, millis: performance.now() - t0, planMillis, indexBytes: indexes?.read.bytes ?? 0, indexReads: indexes?.read.reads ?? 0 });
      const after = resume && ci === startAt ? resume.pos : undefined;
      if (work.plan.scanMode !== "skipped") {
        for (const m of scanChunk(reader, work, filter, bounds, req.reverse, after, stats)) {
          if (context) yield* context.before({ ci, pos: m.pos });
          yield { store: src.name, ref: { chunk: meta.id, pos: m.pos }, record: m.record, context: false };
          if (context) context.matched({ ci, pos: m.pos });
          last = { store: src.name, chunk: meta.id, pos: m.pos, reverse: req.reverse };
          if (req.limit > 0 && ++matches >= req.limit) {
            if (context) {
              yield* context.flush();
              context.close();
            }
            opts.onChunk?.({ ...work.plan, actual: actual() });
            return { resume: encodeResume(last) };
          }
          if (performance.now() - sliceStart > SLICE_MS) {
            await pause(opts.signal);
            sliceStart = performance.now();
          }
        }
      }
      opts.onChunk?.({ ...work.plan, actual: actual() });
    } catch (err) {
      if (!(err instanceof CorruptError)) throw err;
      opts.onWarning?.(`chunk ${meta.id} of store ${src.name} stopped at damaged data: ${err.message}`);
    } finally {
      reader.close();
    }
    await pause(opts.signal);
    sliceStart = performance.now();
  }
  if (context) {
    yield* context.flush();
    context.close();
  }
  return {};
}

async function pause(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  if (signal?.aborted) throw new LogError("cancelled", "query cancelled");
}
