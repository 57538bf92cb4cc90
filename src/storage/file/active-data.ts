/**
 * Reads records of an active chunk: positions and times from its EntryColumns, payloads and
 * attrs from the raw/attrs files by positioned reads (one read per file per batch). Holds its
 * own file descriptors, so it keeps working after the chunk's files are deleted (sealed).
 */

import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { decodeAttrs } from "../../core/attrs-codec.ts";
import { CorruptError } from "../../core/errors.ts";
import type { LogRecord } from "../../core/record.ts";
import { BATCH_MAX_RAW_BYTES, BATCH_MAX_RECORDS, ColumnBatch, EncodedAttrs } from "../column-batch.ts";
import type { RecordBatch } from "../types.ts";
import type { EntryColumns } from "./entry-columns.ts";
import { ATTRS_FILE, ENTRY_F64, HEADER_BYTES, RAW_FILE } from "./format.ts";

/** Record and batch reads of an active chunk (shared by readers and the seal job). */
export class ActiveData {
  private rawFd: number;
  private attrFd: number;

  /** `entries()` is called on every access because the writer may swap the columns on growth. */
  constructor(
    private readonly dir: string,
    private readonly entries: () => EntryColumns,
  ) {
    this.rawFd = openSync(join(dir, RAW_FILE), "r");
    try {
      this.attrFd = openSync(join(dir, ATTRS_FILE), "r");
    } catch (err) {
      closeSync(this.rawFd);
      throw err;
    }
  }

  record(pos: number): LogRecord {
    const e = this.entries();
    const attrStart = e.attrStart(pos);
    const attrs = this.read(this.attrFd, ATTRS_FILE, attrStart, e.attrEnd(pos));
    return {
      raw: this.read(this.rawFd, RAW_FILE, e.rawStart(pos), e.rawEnd(pos)),
      attrs: decodeAttrs(attrs),
      sourceTs: e.sourceTs(pos),
      ingestTs: e.ingestTs(pos),
      writeTs: e.writeTs(pos),
    };
  }

  /** Records [from, to) in batches bounded by BATCH_MAX_RECORDS and BATCH_MAX_RAW_BYTES. */
  *batches(from: number, to: number): Iterable<RecordBatch> {
    let i = from;
    while (i < to) {
      const e = this.entries();
      const base = e.rawStart(i);
      const limit = Math.min(to, i + BATCH_MAX_RECORDS);
      let j = i + 1;
      while (j < limit && e.rawEnd(j) - base <= BATCH_MAX_RAW_BYTES) j++;
      yield this.batch(e, i, j);
      i = j;
    }
  }

  close(): void {
    if (this.rawFd < 0) return;
    closeSync(this.rawFd);
    closeSync(this.attrFd);
    this.rawFd = -1;
    this.attrFd = -1;
  }

  private batch(e: EntryColumns, from: number, to: number): RecordBatch {
    const n = to - from;
    const rawBase = e.rawStart(from);
    const attrBase = e.attrStart(from);
    const data = this.read(this.rawFd, RAW_FILE, rawBase, e.rawEnd(to - 1));
    const attrBuf = this.read(this.attrFd, ATTRS_FILE, attrBase, e.attrEnd(to - 1));
    const rawOffsets = new Uint32Array(n + 1);
    const attrOffsets = new Uint32Array(n + 1);
    const writeTs = new Float64Array(n);
    const ingestTs = new Float64Array(n);
    const sourceTs = new Float64Array(n);
    const f64 = e.f64;
    const u32 = e.u32;
    for (let k = 0; k < n; k++) {
      const p = from + k;
      const fo = p * ENTRY_F64;
      writeTs[k] = f64[fo]!;
      ingestTs[k] = f64[fo + 1]!;
      sourceTs[k] = f64[fo + 2]!;
      rawOffsets[k + 1] = u32[fo * 2 + 6]! - rawBase;
      attrOffsets[k + 1] = u32[fo * 2 + 7]! - attrBase;
    }
    return new ColumnBatch(from, n, data, rawOffsets, writeTs, ingestTs, sourceTs, new EncodedAttrs(attrBuf, attrOffsets));
  }

  private read(fd: number, name: string, start: number, end: number): Uint8Array {
    const out = new Uint8Array(end - start);
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, HEADER_BYTES + start + done);
      if (n === 0) throw new CorruptError(join(this.dir, name), HEADER_BYTES + start + done, "file ends before the committed entries say");
      done += n;
    }
    return out;
  }
}
