/**
 * Block body codec (layout in format.ts): the uncompressed bytes of one block. The encoder
 * collects records and deduplicates attribute maps per block (by object identity first, then
 * by encoded bytes); the decoder yields a RecordBatch viewing the body without per-record
 * copies, decodes the timestamp columns and attribute indexes only when first read (a payload
 * scan decodes neither), and each distinct attribute map lazily, once. No I/O, no compression here.
 */

import { crc32 } from "../../core/bytes/checksum.ts";
import { ByteWriter } from "../../core/bytes/growable.ts";
import { decodeAttrs, encodeAttrsInto } from "../../core/attrs-codec.ts";
import type { Attrs } from "../../core/record.ts";
import { ColumnBatch, type AttrsColumn } from "../column-batch.ts";
import type { BlockTimes, RecordBatch } from "../types.ts";
import { view } from "./format.ts";
import { readVarint, readVarintsInto, skipVarints } from "../../core/bytes/varint.ts";
import { decodeTsColumn, encodeTsColumn, refersToColumn, skipTsColumn } from "./ts-column.ts";

/** count u32 │ dataLen u32 │ columnsLen u32. */
export const BLOCK_HEADER_SIZE = 12;

/** Accumulates records for one block; reset() after encode() to reuse the buffers. */
export class BlockEncoder {
  count = 0;
  private readonly data = new ByteWriter(1 << 16);
  private readonly lengths: number[] = [];
  private readonly writeTs: number[] = [];
  private readonly ingestTs: number[] = [];
  private readonly sourceTs: number[] = [];
  private readonly attrIndex: number[] = [];
  /** Distinct encoded maps, their CRCs (candidate lookup) and the objects seen for each. */
  private readonly maps = new ByteWriter(1024);
  private readonly mapEnds: number[] = [];
  private readonly byCrc = new Map<number, number[]>();
  private readonly byObject = new Map<Attrs, number>();
  private readonly scratch = new ByteWriter(256);
  /** Column bytes and the body of the last encode(), reused from block to block. */
  private readonly cols = new ByteWriter(1 << 16);
  private bodyBuf = new Uint8Array(0);
  /**
   * Where the body of the last encode() is cut into separately compressed parts: after the
   * record lengths, and at the payloads (codecs.ts compressBlockBody).
   */
  readonly frameCuts = [0, 0];
  private lastView: Uint8Array | undefined;
  private lastViewIndex = -1;
  /** Payload bytes not yet copied: pendingData[pendingStart, pendingEnd), records back to back. */
  private pendingData: Uint8Array | undefined;
  private pendingStart = 0;
  private pendingEnd = 0;

  /** Raw payload bytes collected so far. */
  get dataBytes(): number {
    return this.data.length + this.pendingEnd - this.pendingStart;
  }

  /** Adds record `i` of `batch` (batch-relative index). */
  add(batch: RecordBatch, i: number): void {
    const start = batch.rawOffsets[i]!;
    const end = batch.rawOffsets[i + 1]!;
    // Adjacent payloads are copied as one range (one native copy per run, not per record).
    if (batch.data !== this.pendingData || start !== this.pendingEnd) {
      this.flushPending();
      this.pendingData = batch.data;
      this.pendingStart = start;
    }
    this.pendingEnd = end;
    this.lengths.push(end - start);
    this.writeTs.push(batch.writeTs[i]!);
    this.ingestTs.push(batch.ingestTs[i]!);
    this.sourceTs.push(batch.sourceTs[i]!);
    this.attrIndex.push(batch.attrBytes !== undefined ? this.mapIndexOfView(batch.attrBytes(i)) : this.mapIndex(batch.attrs(i)));
    this.count++;
  }

  /** mapIndexBytes, skipped when `view` is the object the previous record had (attrBytes' contract). */
  private mapIndexOfView(view: Uint8Array): number {
    if (view !== this.lastView) {
      this.lastView = view;
      this.lastViewIndex = this.mapIndexBytes(view);
    }
    return this.lastViewIndex;
  }

  private mapIndex(attrs: Attrs): number {
    const known = this.byObject.get(attrs);
    if (known !== undefined) return known;
    const s = this.scratch;
    s.reset();
    encodeAttrsInto(attrs, s);
    const idx = this.mapIndexBytes(s.finish());
    this.byObject.set(attrs, idx);
    return idx;
  }

  /** Index of the distinct map with these encoded bytes, adding it when new. */
  private mapIndexBytes(bytes: Uint8Array): number {
    const crc = crc32(bytes);
    let candidates = this.byCrc.get(crc);
    if (candidates === undefined) this.byCrc.set(crc, (candidates = []));
    for (const idx of candidates) if (this.sameMap(idx, bytes)) return idx;
    const idx = this.mapEnds.length;
    this.maps.bytes(bytes);
    this.mapEnds.push(this.maps.length);
    candidates.push(idx);
    return idx;
  }

  private sameMap(idx: number, bytes: Uint8Array): boolean {
    const start = idx === 0 ? 0 : this.mapEnds[idx - 1]!;
    const end = this.mapEnds[idx]!;
    if (end - start !== bytes.length) return false;
    const m = this.maps.finish();
    for (let k = 0; k < bytes.length; k++) if (m[start + k] !== bytes[k]) return false;
    return true;
  }

  /** Copies the payloads still viewed in the current batch: call before its buffers are reused. */
  endBatch(): void {
    this.flushPending();
  }

  private flushPending(): void {
    if (this.pendingData !== undefined) this.data.bytes(this.pendingData, this.pendingStart, this.pendingEnd);
    this.pendingData = undefined;
    this.pendingStart = this.pendingEnd = 0;
  }

  /**
   * Encodes the collected records as one block body: a view of a buffer this encoder reuses,
   * valid until the next encode() (a seal compresses and writes each body before the next).
   */
  encode(): Uint8Array {
    this.flushPending();
    const n = this.count;
    const cols = this.cols;
    cols.reset();
    for (let i = 0; i < n; i++) cols.varint(this.lengths[i]!);
    this.frameCuts[0] = BLOCK_HEADER_SIZE + cols.length;
    encodeTsColumn(this.writeTs, n, cols);
    encodeTsColumn(this.ingestTs, n, cols, this.writeTs);
    encodeTsColumn(this.sourceTs, n, cols, this.ingestTs);
    cols.varint(this.mapEnds.length);
    const maps = this.maps.finish();
    let prev = 0;
    for (const end of this.mapEnds) {
      cols.varint(end - prev);
      prev = end;
    }
    cols.bytes(maps);
    for (let i = 0; i < n; i++) cols.varint(this.attrIndex[i]!);
    const size = BLOCK_HEADER_SIZE + cols.length + this.data.length;
    if (this.bodyBuf.length < size) this.bodyBuf = new Uint8Array(Math.max(size, this.bodyBuf.length * 2));
    const body = this.bodyBuf.subarray(0, size);
    const v = view(body);
    v.setUint32(0, n, true);
    v.setUint32(4, this.data.length, true);
    v.setUint32(8, cols.length, true);
    body.set(cols.finish(), BLOCK_HEADER_SIZE);
    this.frameCuts[1] = BLOCK_HEADER_SIZE + cols.length;
    body.set(this.data.finish(), this.frameCuts[1]);
    return body;
  }

  reset(): void {
    this.count = 0;
    this.data.reset();
    this.pendingData = undefined;
    this.pendingStart = this.pendingEnd = 0;
    this.lengths.length = 0;
    this.writeTs.length = 0;
    this.ingestTs.length = 0;
    this.sourceTs.length = 0;
    this.attrIndex.length = 0;
    this.maps.reset();
    this.mapEnds.length = 0;
    this.byCrc.clear();
    this.byObject.clear();
    this.lastView = undefined;
  }
}

/** A decoded block: typed columns plus lazily decoded attribute maps (a ColumnBatch). */
export type DecodedBlock = ColumnBatch;

/** Where a block's lazily read columns lie: found by walking their varints, not decoding them. */
interface ColumnLayout {
  /** Offsets of the writeTs, ingestTs and sourceTs columns, and the end of the last. */
  ts: readonly [number, number, number, number];
  /** distinct + 1 offsets into the body: attribute map k is body[mapBounds[k], mapBounds[k+1]). */
  mapBounds: Uint32Array;
  /** Offset of the per-record attribute map index varints. */
  indexStart: number;
}

/**
 * The columns of a block after the record lengths: timestamps and attributes, framed on first
 * use (their offsets found, the framing checked) and each decoded on its own first use. A
 * malformed column is thrown as `corrupt(err)` when it is first read.
 */
class BlockColumns implements AttrsColumn {
  private framed: ColumnLayout | undefined;
  private write: Float64Array | undefined;
  private ingest: Float64Array | undefined;
  private source: Float64Array | undefined;
  private index: Uint32Array | undefined;
  private mapCache: (Attrs | undefined)[] = [];

  constructor(
    private readonly body: Uint8Array,
    private readonly count: number,
    /** Offset just past the record lengths, and of the data. */
    private readonly columnsStart: number,
    private readonly columnsEnd: number,
    private readonly corrupt: (err: unknown) => Error,
  ) {}

  writeTs = (): Float64Array => (this.write ??= this.decodeTs(0));
  ingestTs = (): Float64Array => (this.ingest ??= this.decodeTs(1, this.writeTs));
  sourceTs = (): Float64Array => (this.source ??= this.decodeTs(2, this.ingestTs));

  bytes(i: number): Uint8Array {
    const k = this.attrIndex()[i]!;
    const b = this.framed!.mapBounds;
    return this.body.subarray(b[k]!, b[k + 1]!);
  }

  get(i: number): Attrs {
    const k = this.attrIndex()[i]!;
    const b = this.framed!.mapBounds;
    return (this.mapCache[k] ??= decodeAttrs(this.body, b[k]!, b[k + 1]!));
  }

  private decodeTs(k: 0 | 1 | 2, ref?: () => Float64Array): Float64Array {
    const at = this.layout().ts;
    const out = new Float64Array(this.count);
    // Framing checked the modes; only MODE_REF needs its reference column.
    const needsRef = ref !== undefined && refersToColumn(this.body, at[k]);
    decodeTsColumn(this.body, at[k], at[k + 1]!, out, needsRef ? ref() : undefined);
    return out;
  }

  private attrIndex(): Uint32Array {
    if (this.index !== undefined) return this.index;
    const { mapBounds, indexStart } = this.layout();
    const index = new Uint32Array(this.count);
    readVarintsInto(this.body, indexStart, this.columnsEnd, index);
    const distinct = mapBounds.length - 1;
    for (let i = 0; i < index.length; i++) {
      if (index[i]! >= distinct) throw this.corrupt(new RangeError(`record ${i} uses attribute map ${index[i]} of ${distinct}`));
    }
    return (this.index = index);
  }

  private layout(): ColumnLayout {
    if (this.framed !== undefined) return this.framed;
    try {
      return (this.framed = frameColumns(this.body, this.count, this.columnsStart, this.columnsEnd));
    } catch (err) {
      throw this.corrupt(err);
    }
  }
}

/** Walks the timestamp columns and attribute section at `pos`; RangeError when malformed. */
function frameColumns(body: Uint8Array, n: number, pos: number, end: number): ColumnLayout {
  const ingestAt = skipTsColumn(body, pos, end, n, false);
  const sourceAt = skipTsColumn(body, ingestAt, end, n, true);
  const attrsAt = skipTsColumn(body, sourceAt, end, n, true);
  const cur = { pos: attrsAt };
  const distinct = readVarint(body, cur, end);
  if (distinct > n) throw new RangeError(`${distinct} attribute maps for ${n} records`);
  const mapBounds = new Uint32Array(distinct + 1);
  let mapEnd = 0;
  for (let k = 0; k < distinct; k++) mapBounds[k + 1] = mapEnd += readVarint(body, cur, end);
  for (let k = 0; k <= distinct; k++) mapBounds[k] += cur.pos;
  const indexStart = cur.pos + mapEnd;
  if (indexStart > end) throw new RangeError("attribute maps run past the columns");
  const after = skipVarints(body, indexStart, end, n);
  if (after !== end) throw new RangeError(`${end - after} trailing column bytes`);
  return { ts: [pos, ingestAt, sourceAt, attrsAt], mapBounds, indexStart };
}

/**
 * Decodes a block body holding records [first, first+count). Only the header and the record
 * lengths are decoded at once; the timestamp columns and attributes are framed and decoded when
 * a consumer first reads them, so a scan that reads payloads alone pays for neither (the block's
 * checksum was verified when it was read). Throws RangeError when the header or lengths are
 * malformed; a malformed column is thrown as `corrupt(err)` (the reader's CorruptError) when
 * first read.
 */
export function decodeBlock(body: Uint8Array, first: number, count: number, corrupt: (err: unknown) => Error = (e) => e as Error): DecodedBlock {
  if (body.length < BLOCK_HEADER_SIZE) throw new RangeError(`block body of ${body.length} bytes is too short`);
  const v = view(body);
  const n = v.getUint32(0, true);
  const dataLen = v.getUint32(4, true);
  const colsEnd = BLOCK_HEADER_SIZE + v.getUint32(8, true);
  if (n !== count) throw new RangeError(`block holds ${n} records, directory says ${count}`);
  if (colsEnd + dataLen !== body.length) throw new RangeError("block section lengths do not add up");
  const rawOffsets = new Uint32Array(n + 1);
  const columnsStart = readVarintsInto(body, BLOCK_HEADER_SIZE, colsEnd, rawOffsets.subarray(1));
  let off = 0;
  for (let i = 1; i <= n; i++) rawOffsets[i] = off += rawOffsets[i]!;
  if (off !== dataLen) throw new RangeError(`record lengths sum to ${off}, data holds ${dataLen}`);
  const data = body.subarray(colsEnd, colsEnd + dataLen);
  const cols = new BlockColumns(body, n, columnsStart, colsEnd, corrupt);
  return new ColumnBatch(first, n, data, rawOffsets, cols.writeTs, cols.ingestTs, cols.sourceTs, cols);
}

/**
 * The event-time columns of a block from `head`, its body up to the payloads
 * (codecs.ts decompressBlockHead); undefined when `head` ends anywhere else (a block without
 * payloads is cut before its columns). Malformed bytes throw as decodeBlock's do.
 */
export function decodeBlockTimes(head: Uint8Array, count: number, corrupt: (err: unknown) => Error = (e) => e as Error): BlockTimes | undefined {
  if (head.length < BLOCK_HEADER_SIZE) return undefined;
  const v = view(head);
  const n = v.getUint32(0, true);
  const colsEnd = BLOCK_HEADER_SIZE + v.getUint32(8, true);
  if (colsEnd !== head.length) return undefined;
  if (n !== count) throw new RangeError(`block holds ${n} records, directory says ${count}`);
  const cols = new BlockColumns(head, n, skipVarints(head, BLOCK_HEADER_SIZE, colsEnd, n), colsEnd, corrupt);
  return { sourceTs: cols.sourceTs(), ingestTs: cols.ingestTs() };
}

/** Decodes every lazy column of `block` now (verification): throws what a later read would. */
export function decodeColumns(block: DecodedBlock): void {
  void block.writeTs;
  void block.ingestTs;
  void block.sourceTs;
  if (block.count > 0) block.attrBytes!(0);
}
