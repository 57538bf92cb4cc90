/**
 * The query pipeline's shapes (after VictoriaLogs' pipe processors): a source of record
 * batches flows through stages — the filter, then optional pipe stages — into a sink. A batch
 * carries the rows still selected, so a stage narrows, reorders or consumes rows without
 * copying records; a stage that changes the shape (an aggregation emitting a table) is a Stage
 * with another output type, read by a sink of that type. Stages are pulled: a sink that stops
 * early (a limit) stops everything upstream.
 */

import type { ChunkMeta, RecordBatch } from "../../../storage/types.ts";

/** Records read and records that passed the filter, per chunk (explain analyze). */
export interface ScanStats {
  scanned: number;
  matched: number;
}

/** One batch of one chunk with the rows still selected. */
export interface RowBatch {
  /** The chunk's index in the search's iteration order (context windows and resume use it). */
  readonly chunkIndex: number;
  readonly chunk: ChunkMeta;
  readonly batch: RecordBatch;
  /** Batch-relative rows still selected, in iteration order (descending when reversed). */
  readonly rows: Uint32Array;
  /** True when the rows already satisfy the filter's predicates (exact index answers): only time bounds remain. */
  readonly verified: boolean;
  /** The chunk's counters, shared by its batches. */
  readonly stats: ScanStats;
}

/** A pipeline step: consumes one stream and produces another (pulled, lazily). */
export type Stage<In, Out> = (input: AsyncIterable<In>) => AsyncIterable<Out>;

/** Runs `input` through `stages` in order (each stage's output feeds the next). */
export function through<T>(input: AsyncIterable<T>, stages: readonly Stage<T, T>[]): AsyncIterable<T> {
  let out = input;
  for (const stage of stages) out = stage(out);
  return out;
}
