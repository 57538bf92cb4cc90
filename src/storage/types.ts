/**
 * The storage contracts: ChunkSource/ChunkView, the read side queries use (async-capable; a
 * remote tier may implement only these), and ChunkStore/ChunkReader, the local stores (memory,
 * file) that also append. Conformance suites: storage/conformance.suite.ts for ChunkStores,
 * storage/source-conformance.suite.ts for every ChunkSource. Query and ingest code depend on
 * these types only, never on a concrete store.
 *
 * Positions are 0-based record indexes within a chunk. Time is epoch microseconds.
 */

import type { ChunkId } from "../core/ids.ts";
import type { Attrs, LogRecord, RecordInput, RecordRef } from "../core/record.ts";

/**
 * "sealing": rotated out, its segment is being written; still read as active data, no indexes.
 * "corrupt": its sealed segment failed validation; listed so operators see it, never opened
 * (open() throws CorruptError) — queries skip it.
 */
export type ChunkState = "active" | "sealing" | "sealed" | "corrupt";

/** Index build state of a sealed chunk (issue: indexes). Active chunks are "none". */
export type IndexStatus = "none" | "pending" | "complete" | "capped" | "missing" | "failed";

/** Inclusive min/max of one timestamp kind; both 0 when no record has that timestamp. */
export interface TimeRange {
  min: number;
  max: number;
}

/** What every store knows about one chunk (listed by chunks(), cached in the file catalog). */
export interface ChunkMeta {
  id: ChunkId;
  store: string;
  state: ChunkState;
  records: number;
  /** Sum of raw payload bytes. */
  rawBytes: number;
  /** Bytes on disk (segment file for sealed chunks, all files for active ones). */
  storedBytes: number;
  /** Wall clock when the chunk was opened (drives age rotation). */
  createdAt: number;
  writeTs: TimeRange;
  ingestTs: TimeRange;
  /** Event time: sourceTs when known, else ingestTs. Used by query time pruning. */
  eventTs: TimeRange;
  /** Codec of the sealed segment's data blocks ("zstd", "none"), "" while active. */
  codec: string;
  indexStatus: IndexStatus;
  /** Bytes of index sections, reported apart from data bytes. */
  indexBytes: number;
  /**
   * Set while the chunk's seal has failed and its retry waits (state stays "sealing": it is
   * still read as active data), so listings can say that nothing is sealing it right now.
   */
  sealRetry?: Omit<WaitingSeal, "chunk">;
}

/** Rotation policy: the active chunk seals when appending the next record would break one. */
export interface RotationPolicy {
  /** 0 disables. Projected: bytes so far + next record's raw+attrs bytes > maxBytes. */
  maxBytes: number;
  /** 0 disables. */
  maxRecords: number;
  /** Microseconds; 0 disables. now - createdAt > maxAge. */
  maxAgeMicros: number;
}

/** How appends reach the disk. "batch": fsync before append() resolves (default, safe). */
export type DurabilityPolicy =
  | { kind: "batch" }
  | { kind: "interval"; everyMs: number }
  | { kind: "never" };

/** A contiguous run of records decoded for scanning, zero-copy where the store allows. */
export interface RecordBatch {
  /** Position of the batch's first record within its chunk. */
  readonly first: number;
  readonly count: number;
  /** Raw payload bytes; record i is data[rawOffsets[i], rawOffsets[i+1]). */
  readonly data: Uint8Array;
  /** count + 1 offsets into data. */
  readonly rawOffsets: Uint32Array;
  readonly writeTs: Float64Array;
  readonly ingestTs: Float64Array;
  /** 0 = unknown. */
  readonly sourceTs: Float64Array;
  /**
   * sourceTs of record i alone, where a store can tell it without computing the batch's whole
   * column (text files parse timestamps lazily): a hit's record then costs one parse instead of
   * a block's. Absent: read sourceTs[i].
   */
  readonly sourceTsAt?: (i: number) => number;
  /** Decodes the attributes of record i (batch-relative) lazily. */
  attrs(i: number): Attrs;
  /**
   * The attrs-codec encoding of record i's attributes as a view, when the batch holds them
   * encoded (active file chunks, sealed blocks): lets seals and index builds work on bytes
   * without building an object per record. Absent on batches built from objects. Consecutive
   * records with equal bytes may get the same view object, so consumers can memoise by identity.
   */
  attrBytes?(i: number): Uint8Array;
}

/** A time-bounded range of records inside a chunk (sealed: a compressed block). */
export interface BlockInfo {
  first: number;
  count: number;
  writeTs: TimeRange;
  eventTs: TimeRange;
}

/** A value now (local stores) or later (a remote tier): callers always await it. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether an occurrence of a needle at `at` in `bytes`, inside a record's bytes [start, end), counts. */
export type HitFilter = (bytes: Uint8Array, at: number, start: number, end: number) => boolean;

/** How ChunkView.positionsContaining searches. */
export interface ByteSearch {
  /** Asked about each occurrence; a record counts only for an occurrence it accepts. */
  accept?: HitFilter;
  /**
   * Asked first, where finding the record around an occurrence costs more than this check:
   * true when the bytes around `at` already rule the occurrence out (accept would refuse it in
   * any record holding it). `bytes` holds whole lines with their terminators.
   */
  rejects?: (bytes: Uint8Array, at: number) => boolean;
  /** Match ASCII letters case-insensitively: `needle` is lowercase, `accept` sees A-Z lowercased. */
  foldCase?: boolean;
  /** Give up (undefined) once more than 1 in `dense` records read hold a hit (or the needle is everywhere): a scan is cheaper. */
  dense?: number;
}

/**
 * Read-only, async-capable access to one chunk: all a query needs. Data is read by range —
 * records by position range (`batches`, one or more per block), sections by byte range — so a
 * remote tier (object storage) can fetch only what is read. Local readers (ChunkReader) answer
 * at once; callers must still await `record`, `readSection` and iterate `batches` with
 * `for await`.
 */
export interface ChunkView {
  readonly meta: ChunkMeta;
  /** Current record count (grows for an active chunk). */
  count(): number;
  /** Block layout for pruning; an active chunk reports one block covering all records. */
  blocks(): readonly BlockInfo[];
  /**
   * Records [from, to) grouped into one or more batches, in order. With `reuse`, a reader may
   * decode blocks into that buffer (growing it) instead of fresh memory: each batch is then valid
   * only until the next is asked for, and is not cached. For scans that consume every batch
   * before asking for the next and keep nothing from it (a count).
   */
  batches(from: number, to: number, reuse?: DecodeBuffer): Iterable<RecordBatch> | AsyncIterable<RecordBatch>;
  record(pos: number): MaybePromise<LogRecord>;
  /** Byte length of the named section of a sealed chunk; undefined when it has none. */
  sectionSize(name: string): number | undefined;
  /**
   * Bytes [offset, offset + length) of the named section. A read of the whole section is
   * checked against the store's checksum of it, where the store keeps one; a part is not (formats
   * read by range carry a CRC per block). Throws LogError("not_found") for an absent section,
   * ("invalid_argument") for a range outside it, CorruptError for damage.
   */
  readSection(name: string, offset: number, length: number): MaybePromise<Uint8Array>;
  /**
   * Ascending positions of the records whose stored bytes contain `needle` exactly, found by a
   * byte search over the chunk's raw data without splitting or copying records; only chunks
   * that keep their records as plain bytes (text files read in place) offer it. Undefined when
   * the search gave up because hits were too dense (ByteSearch.dense).
   */
  positionsContaining?(needle: Uint8Array, o?: ByteSearch): Uint32Array | undefined;
  /**
   * Source and ingest times of the records of block `index` (of blocks()), for readers that can
   * tell them without decoding the block's payloads (sealed segments); absent elsewhere.
   */
  blockTimes?(index: number): BlockTimes;
  /** Releases mapped memory, file handles or connections. */
  close(): void;
}

/**
 * The read side of a store: what queries, explain and follow use. Every ChunkStore is one;
 * a read-only source (text files today, an object-storage tier later) need implement only this.
 */
export interface ChunkSource {
  readonly name: string;
  /** All chunks, oldest first (by ID = creation order). */
  chunks(): ChunkMeta[];
  chunk(id: ChunkId): ChunkMeta | undefined;
  /** Opens a view; rejects/throws LogError("not_found") for an unknown or deleted chunk. */
  open(id: ChunkId): MaybePromise<ChunkView>;
  /** Subscribes to appends/seals/deletes; returns an unsubscribe function. */
  subscribe(listener: (e: StoreEvent) => void): () => void;
}

/** One block's timestamp columns, as a RecordBatch has them (event time: source when non-zero, else ingest). */
export interface BlockTimes {
  readonly sourceTs: Float64Array;
  readonly ingestTs: Float64Array;
}

/** A buffer one scan lends to ChunkView.batches to decode blocks into (owned by that scan alone). */
export interface DecodeBuffer {
  bytes: Uint8Array;
}

/** A local, synchronous ChunkView (every store's reader). Active chunk readers see later appends. */
export interface ChunkReader extends ChunkView {
  record(pos: number): LogRecord;
  batches(from: number, to: number, reuse?: DecodeBuffer): Iterable<RecordBatch>;
  readSection(name: string, offset: number, length: number): Uint8Array;
  /** First position whose writeTs >= ts (binary search over fixed-width entries). */
  lowerBoundWriteTs(ts: number): number;
  cursor(): Cursor;
}

/** Bidirectional cursor: seek(p) then next() yields p, prev() yields p-1. */
export interface Cursor {
  next(): LogRecord | undefined;
  prev(): LogRecord | undefined;
  seek(pos: number): void;
  /** Seeks to the first record whose writeTs >= ts. */
  seekTime(ts: number): void;
}

/**
 * Store change notifications. "appended" carries the chunk's committed record count after the
 * append; appends that commit together (group commit) may share one event.
 */
export type StoreEvent =
  | { kind: "appended"; chunk: ChunkId; count: number }
  | { kind: "sealed"; chunk: ChunkId }
  | { kind: "deleted"; chunk: ChunkId };

/** A chunk whose seal failed, waiting for its next attempt (file store). */
export interface WaitingSeal {
  chunk: ChunkId;
  /** Failed seal attempts so far. */
  failures: number;
  /** When the next attempt is due (epoch ms). */
  at: number;
}

/** A named set of chunks with one active chunk; memory and file implementations. */
export interface ChunkStore extends ChunkSource {
  /**
   * Appends a batch in order and returns where each record went. Resolves once the batch is
   * durable under the store's durability policy. Rotation is checked before each record.
   */
  append(batch: readonly RecordInput[]): Promise<RecordRef[]>;
  /** Seals the active chunk now (no-op when there is none). Resolves when sealed. */
  seal(): Promise<ChunkId | undefined>;
  /** Opens a reader; throws LogError("not_found") for an unknown or deleted chunk. */
  open(id: ChunkId): ChunkReader;
  /** Deletes a sealed chunk (retention). Readers already open keep working until closed. */
  delete(id: ChunkId): Promise<void>;
  /** Waits for in-flight seals. */
  idle(): Promise<void>;
  /** Chunks whose seal failed and that wait for a retry (stores whose seals can fail). */
  sealRetries?(): readonly WaitingSeal[];
  /** Flushes, fsyncs and releases the store (and its lock). The active chunk stays active. */
  close(): Promise<void>;
}

/**
 * Builds one extra named section of a sealed segment (index builds plug in here) from the
 * chunk's records, fed in order while the chunk seals inside the sealing worker.
 */
export interface SectionBuilder {
  readonly name: string;
  /**
   * Takes the batch's records into the section. The seal reuses a batch's buffers for the next
   * batch once add returns: copy what must outlive the call, keep no view of `batch`.
   */
  add(batch: RecordBatch): void;
  /**
   * "capped": the builder stopped early by a hard limit; "lossy": a budget dropped entries. Both
   * sections are partial by design (readers fall back to scanning).
   */
  finish(): { bytes: Uint8Array; status: SectionStatus };
}

/** How complete a finished index section is. */
export type SectionStatus = "complete" | "capped" | "lossy";

/** What became of one section builder during a seal ("failed": it threw; no section written). */
export interface SectionOutcome {
  name: string;
  status: SectionStatus | "failed";
}

/** Makes fresh section builders for one seal. Supplied by the composition root. */
export type SectionBuilderFactory = () => SectionBuilder[];
