/**
 * RecordBatch implementations over plain columns, used by the memory store and the active
 * file chunk reader. Attributes come either as the objects the caller appended or as the
 * attrs-codec encoding, decoded only when asked for.
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

/** Encoded attrs; record i is `buf[offsets[i], offsets[i+1])`. */
export class EncodedAttrs implements AttrsColumn {
  constructor(
    private readonly buf: Uint8Array,
    private readonly offsets: Uint32Array,
  ) {}

  get(i: number): Attrs {
    return decodeAttrs(this.buf, this.offsets[i]!, this.offsets[i + 1]!);
  }
}

/** A RecordBatch over caller-built columns (rawOffsets[0] is always 0). */
export class ColumnBatch implements RecordBatch {
  constructor(
    readonly first: number,
    readonly count: number,
    readonly data: Uint8Array,
    readonly rawOffsets: Uint32Array,
    readonly writeTs: Float64Array,
    readonly ingestTs: Float64Array,
    readonly sourceTs: Float64Array,
    private readonly attrsColumn: AttrsColumn,
  ) {}

  attrs(i: number): Attrs {
    if (i < 0 || i >= this.count) throw new RangeError(`batch record ${i} out of range [0, ${this.count})`);
    return this.attrsColumn.get(i);
  }
}
