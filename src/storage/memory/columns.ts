/**
 * Column storage of one memory chunk: raw bytes in one growing buffer, u32 end offsets, three
 * timestamp columns and the appended attrs objects. Append-only, so views handed to readers
 * stay valid after the columns grow (growth copies into new buffers; old ones are not reused).
 */

import type { Attrs, LogRecord } from "../../core/record.ts";
import { BATCH_MAX_RAW_BYTES, BATCH_MAX_RECORDS, ColumnBatch, ObjectAttrs } from "../column-batch.ts";
import { lowerBound } from "../cursor.ts";
import type { RecordBatch } from "../types.ts";

/** Append-only columns of one memory chunk. */
export class MemoryColumns {
  count = 0;
  private data: Uint8Array = new Uint8Array(4096);
  private dataLen = 0;
  private ends: Uint32Array = new Uint32Array(256);
  private writeTs: Float64Array = new Float64Array(256);
  private ingestTs: Float64Array = new Float64Array(256);
  private sourceTs: Float64Array = new Float64Array(256);
  private readonly attrs: Attrs[] = [];

  push(raw: Uint8Array, attrs: Attrs, writeTs: number, ingestTs: number, sourceTs: number): void {
    const n = this.count;
    if (n === this.ends.length) this.growRows(n * 2);
    const end = this.dataLen + raw.length;
    if (end > this.data.length) this.growData(end);
    this.data.set(raw, this.dataLen);
    this.dataLen = end;
    this.ends[n] = end;
    this.writeTs[n] = writeTs;
    this.ingestTs[n] = ingestTs;
    this.sourceTs[n] = sourceTs;
    this.attrs.push(attrs);
    this.count = n + 1;
  }

  lastWriteTs(): number {
    return this.count === 0 ? 0 : this.writeTs[this.count - 1]!;
  }

  record(pos: number): LogRecord {
    const start = pos === 0 ? 0 : this.ends[pos - 1]!;
    return {
      raw: this.data.subarray(start, this.ends[pos]!),
      attrs: this.attrs[pos]!,
      sourceTs: this.sourceTs[pos]!,
      ingestTs: this.ingestTs[pos]!,
      writeTs: this.writeTs[pos]!,
    };
  }

  lowerBoundWriteTs(ts: number): number {
    const w = this.writeTs;
    return lowerBound(this.count, ts, (i) => w[i]!);
  }

  *batches(from: number, to: number): Iterable<RecordBatch> {
    let i = from;
    while (i < to) {
      const base = i === 0 ? 0 : this.ends[i - 1]!;
      let j = i + 1;
      const limit = Math.min(to, i + BATCH_MAX_RECORDS);
      while (j < limit && this.ends[j]! - base <= BATCH_MAX_RAW_BYTES) j++;
      yield this.batch(i, j);
      i = j;
    }
  }

  private batch(from: number, to: number): RecordBatch {
    const base = from === 0 ? 0 : this.ends[from - 1]!;
    const n = to - from;
    const offsets = new Uint32Array(n + 1);
    for (let k = 0; k < n; k++) offsets[k + 1] = this.ends[from + k]! - base;
    return new ColumnBatch(
      from,
      n,
      this.data.subarray(base, this.ends[to - 1]!),
      offsets,
      this.writeTs.subarray(from, to),
      this.ingestTs.subarray(from, to),
      this.sourceTs.subarray(from, to),
      new ObjectAttrs(this.attrs, from),
    );
  }

  private growRows(cap: number): void {
    const ends = new Uint32Array(cap);
    ends.set(this.ends);
    this.ends = ends;
    this.writeTs = grown(this.writeTs, cap);
    this.ingestTs = grown(this.ingestTs, cap);
    this.sourceTs = grown(this.sourceTs, cap);
  }

  private growData(need: number): void {
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const data = new Uint8Array(cap);
    data.set(this.data.subarray(0, this.dataLen));
    this.data = data;
  }
}

function grown(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
