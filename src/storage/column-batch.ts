/**
 * The one RecordBatch implementation: plain columns, a sourceTs column given or computed on
 * first use, and an attribute column. Every reader builds its batches with it (memory store,
 * active file chunks, sealed blocks, text files, slices); attributes come as the objects the
 * caller appended, as the attrs-codec encoding decoded only when asked for, or as a reader's
 * own column.
 */

import { decodeAttrs } from "../core/attrs-codec.ts";
import type { Attrs } from "../core/record.ts";
import type { RecordBatch } from "./types.ts";

/** Upper bound on records per batch handed out by readers (keeps scan buffers small). */
export const BATCH_MAX_RECORDS = 4096;
/** Upper bound on raw bytes per batch (a single larger record still forms its own batch). */
export const BATCH_MAX_RAW_BYTES = 1 << 20;

/** Attribute access for batch-relative record i. */
export interface AttrsColumn {
  get(i: number): Attrs;
  /** The encoded map of record i, when the column holds encodings. */
  bytes?(i: number): Uint8Array;
}

/** Attrs objects held in an array; batch record i is `list[base + i]`. */
export class ObjectAttrs implements AttrsColumn {
  constructor(
    private readonly list: readonly Attrs[],
    private readonly base: number,
  ) {}

  get(i: number): Attrs {
    return this.list[this.base + i]!;
  }
}

/**
 * Encoded attrs; record i is `buf[offsets[i], offsets[i+1])`. Records whose encoding equals
 * the previously decoded one get the same object back (neighbouring records usually share
 * their attributes), so consumers can memoise by identity and nothing is decoded twice.
 */
export class EncodedAttrs implements AttrsColumn {
  private lastStart = -1;
  private lastEnd = -1;
  private last: Attrs | undefined;
  /** The view bytes() returned last, and where it starts in buf. */
  private view: Uint8Array | undefined;
  private viewStart = -1;

  constructor(
    private readonly buf: Uint8Array,
    private readonly offsets: Uint32Array,
  ) {}

  /** The encoded map of record i: the previous call's view when its bytes are the same (no allocation). */
  bytes(i: number): Uint8Array {
    const start = this.offsets[i]!;
    const end = this.offsets[i + 1]!;
    const prev = this.view;
    if (prev !== undefined && prev.length === end - start && (start === this.viewStart || this.equalsView(start, end))) return prev;
    this.viewStart = start;
    return (this.view = this.buf.subarray(start, end));
  }

  get(i: number): Attrs {
    const start = this.offsets[i]!;
    const end = this.offsets[i + 1]!;
    if (this.last !== undefined && this.sameAsLast(start, end)) return this.last;
    this.last = decodeAttrs(this.buf, start, end);
    this.lastStart = start;
    this.lastEnd = end;
    return this.last;
  }

  private equalsView(start: number, end: number): boolean {
    const buf = this.buf;
    const v = this.viewStart;
    for (let k = start; k < end; k++) if (buf[k] !== buf[v + k - start]) return false;
    return true;
  }

  private sameAsLast(start: number, end: number): boolean {
    const len = end - start;
    if (len !== this.lastEnd - this.lastStart) return false;
    const buf = this.buf;
    const prev = this.lastStart;
    for (let k = 0; k < len; k++) if (buf[start + k] !== buf[prev + k]) return false;
    return true;
  }
}

/** A column given, or how to compute it on first use (sealed blocks decode timestamps lazily). */
export type LazyColumn = Float64Array | (() => Float64Array);

/**
 * A RecordBatch over columns (record i is data[rawOffsets[i], rawOffsets[i+1])). A timestamp
 * column given as a function is computed once, when first read: a scan that never looks at
 * time (a substring count) decodes none.
 */
export class ColumnBatch implements RecordBatch {
  private write: Float64Array | undefined;
  private ingest: Float64Array | undefined;
  private ts: Float64Array | undefined;

  constructor(
    readonly first: number,
    readonly count: number,
    readonly data: Uint8Array,
    readonly rawOffsets: Uint32Array,
    private readonly writeSource: LazyColumn,
    private readonly ingestSource: LazyColumn,
    /** The sourceTs column, or how to compute it on first use (text files parse timestamps lazily). */
    private readonly source: LazyColumn,
    private readonly attrsColumn: AttrsColumn,
    /** sourceTs of one record without computing the column (when `source` is computed lazily). */
    sourceOne?: (i: number) => number,
  ) {
    const col = attrsColumn;
    if (col.bytes !== undefined) this.attrBytes = (i) => col.bytes!(i);
    if (sourceOne !== undefined) this.sourceTsAt = (i) => (this.ts !== undefined ? this.ts[i]! : sourceOne(i));
  }

  readonly attrBytes?: (i: number) => Uint8Array;
  readonly sourceTsAt?: (i: number) => number;

  get writeTs(): Float64Array {
    return (this.write ??= resolve(this.writeSource));
  }

  get ingestTs(): Float64Array {
    return (this.ingest ??= resolve(this.ingestSource));
  }

  get sourceTs(): Float64Array {
    return (this.ts ??= resolve(this.source));
  }

  attrs(i: number): Attrs {
    if (i < 0 || i >= this.count) throw new RangeError(`batch record ${i} out of range [0, ${this.count})`);
    return this.attrsColumn.get(i);
  }
}

function resolve(c: LazyColumn): Float64Array {
  return typeof c === "function" ? c() : c;
}
