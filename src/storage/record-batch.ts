/**
 * RecordBatch helpers for every store and the engine: build a batch from LogRecord objects
 * (memory store, tests), take a sub-range of a batch without copying (segment reader, candidate
 * scans) and copy one record out. batchFromRecords copies payloads once into one contiguous
 * buffer; slices share the parent's buffers.
 */

import type { Attrs, LogRecord } from "../core/record.ts";
import type { RecordBatch } from "./types.ts";

/** Packs `records` (positions first, first+1, ...) into one RecordBatch. */
export function batchFromRecords(first: number, records: readonly LogRecord[]): RecordBatch {
  const n = records.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += records[i]!.raw.length;
  const data = new Uint8Array(total);
  const rawOffsets = new Uint32Array(n + 1);
  const writeTs = new Float64Array(n);
  const ingestTs = new Float64Array(n);
  const sourceTs = new Float64Array(n);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    data.set(r.raw, off);
    rawOffsets[i + 1] = off += r.raw.length;
    writeTs[i] = r.writeTs;
    ingestTs[i] = r.ingestTs;
    sourceTs[i] = r.sourceTs;
  }
  return { first, count: n, data, rawOffsets, writeTs, ingestTs, sourceTs, attrs: (i) => records[i]!.attrs };
}

/** Records [from, to) of `batch` (batch-relative), as a batch viewing the same memory. */
export function sliceBatch(batch: RecordBatch, from: number, to: number): RecordBatch {
  if (from === 0 && to === batch.count) return batch;
  return new BatchSlice(batch, from, to);
}

class BatchSlice implements RecordBatch {
  readonly first: number;
  readonly count: number;
  readonly data: Uint8Array;
  readonly rawOffsets: Uint32Array;
  readonly writeTs: Float64Array;
  readonly ingestTs: Float64Array;
  readonly sourceTs: Float64Array;
  readonly attrBytes?: (i: number) => Uint8Array;

  constructor(
    private readonly parent: RecordBatch,
    private readonly from: number,
    to: number,
  ) {
    this.first = parent.first + from;
    this.count = to - from;
    this.data = parent.data;
    this.rawOffsets = parent.rawOffsets.subarray(from, to + 1);
    this.writeTs = parent.writeTs.subarray(from, to);
    this.ingestTs = parent.ingestTs.subarray(from, to);
    this.sourceTs = parent.sourceTs.subarray(from, to);
    if (parent.attrBytes !== undefined) this.attrBytes = (i) => parent.attrBytes!(from + i);
  }

  attrs(i: number): Attrs {
    return this.parent.attrs(this.from + i);
  }
}

/** Record `i` (batch-relative) of `batch` as a LogRecord with its own copy of the payload. */
export function recordAt(batch: RecordBatch, i: number): LogRecord {
  return {
    raw: batch.data.slice(batch.rawOffsets[i]!, batch.rawOffsets[i + 1]!),
    attrs: batch.attrs(i),
    sourceTs: batch.sourceTs[i]!,
    ingestTs: batch.ingestTs[i]!,
    writeTs: batch.writeTs[i]!,
  };
}
