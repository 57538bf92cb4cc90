/**
 * Reads records of an active chunk: positions and times from its EntryColumns, payloads and
 * attrs from the raw/attrs files by positioned reads (one read per file per batch). Holds its
 * own file descriptors (or lent ones), so it keeps working after the chunk's files are deleted (sealed).
 */

import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { decodeAttrs } from "../../core/attrs-codec.ts";
import { CorruptError } from "../../core/errors.ts";
import type { LogRecord } from "../../core/record.ts";
import { BATCH_MAX_RAW_BYTES, BATCH_MAX_RECORDS, ColumnBatch, EncodedAttrs } from "../column-batch.ts";
import type { RecordBatch } from "../types.ts";
import type { EntryColumns, EntrySpan, EntryWindow } from "./entry-columns.ts";
import { ATTRS_FILE, HEADER_BYTES, RAW_FILE } from "./format.ts";

/** Record and batch reads of an active chunk (shared by readers and the seal job). */
export class ActiveData {
  private rawFd: number;
  private attrFd: number;
  /** The descriptors were lent (`files`): closing leaves them open. */
  private readonly lent: boolean;

  /**
   * `entries()` is called on every access because a closed chunk's columns may be released and
   * read back; an EntryWindow instead reads the entries of each access from the file (the seal
   * job).
   * `files`: descriptors of raw and attrs already open (a read-only snapshot holds them from
   * its open on, so a chunk sealed and deleted since is still read), else opened here.
   */
  constructor(
    private readonly dir: string,
    private readonly entries: (() => EntryColumns) | EntryWindow,
    files?: { raw: number; attrs: number },
  ) {
    this.lent = files !== undefined;
    if (files) {
      this.rawFd = files.raw;
      this.attrFd = files.attrs;
      return;
    }
    try {
      this.rawFd = openSync(join(dir, RAW_FILE), "r");
    } catch (err) {
      this.closeWindow();
      throw err;
    }
    try {
      this.attrFd = openSync(join(dir, ATTRS_FILE), "r");
    } catch (err) {
      closeSync(this.rawFd);
      this.closeWindow();
      throw err;
    }
  }

  record(pos: number): LogRecord {
    const { cols: e, shift } = this.span(pos, pos + 1);
    const p = pos - shift;
    const attrs = this.read(this.attrFd, ATTRS_FILE, e.attrStart(p), e.attrEnd(p));
    return {
      raw: this.read(this.rawFd, RAW_FILE, e.rawStart(p), e.rawEnd(p)),
      attrs: decodeAttrs(attrs),
      sourceTs: e.sourceTs(p),
      ingestTs: e.ingestTs(p),
      writeTs: e.writeTs(p),
    };
  }

  /**
   * Records [from, to) in batches bounded by BATCH_MAX_RECORDS and BATCH_MAX_RAW_BYTES. With
   * `reuse`, every batch is read into the same buffers (no garbage per batch: a seal's reads
   * would otherwise pile up ~1 MiB per batch until the next GC), so a batch is valid only until
   * the next one is taken.
   */
  *batches(from: number, to: number, reuse?: BatchBuffers): Iterable<RecordBatch> {
    let i = from;
    while (i < to) {
      const limit = Math.min(to, i + BATCH_MAX_RECORDS);
      const { cols: e, shift } = this.span(i, limit);
      const base = e.rawStart(i - shift);
      let j = i + 1;
      while (j < limit && e.rawEnd(j - shift) - base <= BATCH_MAX_RAW_BYTES) j++;
      yield this.batch(e, shift, i, j, reuse);
      i = j;
    }
  }

  close(): void {
    if (this.rawFd < 0) return;
    this.closeWindow();
    if (!this.lent) {
      closeSync(this.rawFd);
      closeSync(this.attrFd);
    }
    this.rawFd = -1;
    this.attrFd = -1;
  }

  private closeWindow(): void {
    if (typeof this.entries !== "function") this.entries.close();
  }

  /** Entries [from, to) and the one before: in memory (shift 0), or read by the window. */
  private span(from: number, to: number): EntrySpan {
    return typeof this.entries === "function" ? { cols: this.entries(), shift: 0 } : this.entries.read(from, to);
  }

  /** Records [from, to) of the chunk; their entries are `e` at local index p - shift. */
  private batch(e: EntryColumns, shift: number, from: number, to: number, reuse: BatchBuffers | undefined): RecordBatch {
    const n = to - from;
    const rawBase = e.rawStart(from - shift);
    const attrBase = e.attrStart(from - shift);
    const rawEnd = e.rawEnd(to - 1 - shift);
    const attrEnd = e.attrEnd(to - 1 - shift);
    const b = reuse ?? FRESH;
    const data = this.read(this.rawFd, RAW_FILE, rawBase, rawEnd, b.bytes(0, rawEnd - rawBase));
    const attrBuf = this.read(this.attrFd, ATTRS_FILE, attrBase, attrEnd, b.bytes(1, attrEnd - attrBase));
    const rawOffsets = b.offsets(0, n + 1);
    const attrOffsets = b.offsets(1, n + 1);
    const writeTs = b.times(0, n);
    const ingestTs = b.times(1, n);
    const sourceTs = b.times(2, n);
    for (let k = 0; k < n; k++) {
      const p = from - shift + k;
      writeTs[k] = e.writeTs(p);
      ingestTs[k] = e.ingestTs(p);
      sourceTs[k] = e.sourceTs(p);
      rawOffsets[k + 1] = e.rawEnd(p) - rawBase;
      attrOffsets[k + 1] = e.attrEnd(p) - attrBase;
    }
    return new ColumnBatch(from, n, data, rawOffsets, writeTs, ingestTs, sourceTs, new EncodedAttrs(attrBuf, attrOffsets));
  }

  private read(fd: number, name: string, start: number, end: number, into?: Uint8Array): Uint8Array {
    const out = into ?? new Uint8Array(end - start);
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, HEADER_BYTES + start + done);
      if (n === 0) throw new CorruptError(join(this.dir, name), HEADER_BYTES + start + done, "file ends before the committed entries say");
      done += n;
    }
    return out;
  }
}

/** Where a batch's columns are read into: `n` entries each, offset columns starting with 0. */
interface BatchColumns {
  bytes(k: 0 | 1, n: number): Uint8Array;
  offsets(k: 0 | 1, n: number): Uint32Array;
  times(k: 0 | 1 | 2, n: number): Float64Array;
}

/** New exact-size columns per batch (batches that callers may keep). */
const FRESH: BatchColumns = { bytes: (_, n) => new Uint8Array(n), offsets: (_, n) => new Uint32Array(n), times: (_, n) => new Float64Array(n) };

/**
 * Buffers that ActiveData.batches reads every batch into when asked to reuse them: two byte
 * buffers (payloads, attrs), two offset and three timestamp columns, grown on demand. Each
 * call hands out a fresh view (a new object) over the start of the buffer.
 */
export class BatchBuffers implements BatchColumns {
  private readonly byteBufs = [new Uint8Array(0), new Uint8Array(0)];
  private readonly offsetBufs = [new Uint32Array(0), new Uint32Array(0)];
  private readonly timeBufs = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];

  bytes(k: 0 | 1, n: number): Uint8Array {
    if (this.byteBufs[k]!.length < n) this.byteBufs[k] = new Uint8Array(grown(n));
    return this.byteBufs[k]!.subarray(0, n);
  }

  /** Zero-filled first entry (offset columns start at 0). */
  offsets(k: 0 | 1, n: number): Uint32Array {
    if (this.offsetBufs[k]!.length < n) this.offsetBufs[k] = new Uint32Array(grown(n));
    const out = this.offsetBufs[k]!.subarray(0, n);
    out[0] = 0;
    return out;
  }

  times(k: 0 | 1 | 2, n: number): Float64Array {
    if (this.timeBufs[k]!.length < n) this.timeBufs[k] = new Float64Array(grown(n));
    return this.timeBufs[k]!.subarray(0, n);
  }
}

/** Capacity for `n`: the next power of two (few regrowths, at most twice the need). */
function grown(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(n, 1024)));
}
