/**
 * RecordBatch helpers for every store and the engine: build a batch from LogRecord objects
 * (memory store, tests), take a sub-range of a batch without copying (segment reader, candidate
 * scans) and copy one record out. batchFromRecords copies payloads once into one contiguous
 * buffer; slices share the parent's buffers.
 */

import type { Attrs, LogRecord } from "../core/record.ts";
import { ColumnBatch, ObjectAttrs, type AttrsColumn } from "./column-batch.ts";
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
  return new ColumnBatch(first, n, data, rawOffsets, writeTs, ingestTs, sourceTs, new ObjectAttrs(records.map((r) => r.attrs), 0));
}

/** Records [from, to) of `batch` (batch-relative), as a batch viewing the same memory. */
export function sliceBatch(batch: RecordBatch, from: number, to: number): RecordBatch {
  if (from === 0 && to === batch.count) return batch;
  const p = batch;
  return new ColumnBatch(p.first + from, to - from, p.data, p.rawOffsets.subarray(from, to + 1), () => p.writeTs.subarray(from, to), () => p.ingestTs.subarray(from, to), () => p.sourceTs.subarray(from, to), new SliceAttrs(p, from), p.sourceTsAt && ((i) => p.sourceTsAt!(from + i)));
}

/** The attributes of a slice: the parent's, shifted by `from`. */
class SliceAttrs implements AttrsColumn {
  readonly bytes?: (i: number) => Uint8Array;

  constructor(
    private readonly parent: RecordBatch,
    private readonly from: number,
  ) {
    if (parent.attrBytes !== undefined) this.bytes = (i) => parent.attrBytes!(from + i);
  }

  get(i: number): Attrs {
    return this.parent.attrs(this.from + i);
  }
}

/** Record `i` (batch-relative) of `batch` as a LogRecord with its own copy of the payload. */
export function recordAt(batch: RecordBatch, i: number): LogRecord {
  return {
    raw: batch.data.slice(batch.rawOffsets[i]!, batch.rawOffsets[i + 1]!),
    attrs: batch.attrs(i),
    sourceTs: batch.sourceTsAt !== undefined ? batch.sourceTsAt(i) : batch.sourceTs[i]!,
    ingestTs: batch.ingestTs[i]!,
    writeTs: batch.writeTs[i]!,
  };
}
