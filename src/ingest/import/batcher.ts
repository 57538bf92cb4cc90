/**
 * Turns split lines into RecordInput batches for one file: raw is a view into the read chunk
 * (no copy), attrs is one frozen object shared by every record of the file (a truncated line
 * gets its own, carrying `_truncated` per the limits rule), sourceTs comes from the line; a
 * line without a timestamp (a stack-trace or continuation line) inherits the previous line's.
 */

import { TRUNCATED_ATTR } from "../../core/limits.ts";
import type { Attrs, RecordInput } from "../../core/record.ts";
import { parseLeadingTimestamp, type TimestampContext } from "../parse/timestamp.ts";
import type { LineSink } from "../../core/lines.ts";

/** Line counters accumulated over an import. */
export interface LineCounts {
  lines: number;
  /** Sum of raw bytes kept (after truncation, without line terminators). */
  rawBytes: number;
  truncated: number;
  binary: number;
  timestamped: number;
}

/** Records cut from one file, with where in the file the last one ends. */
export interface ImportBatch {
  records: RecordInput[];
  /** Lines of the file read through the batch's last record. */
  line: number;
  /** File offset (decompressed stream) just past that record's line: where to resume. */
  byte: number;
}

/** Where a batcher starts in its file (a resumed import), and the timestamp lines inherit. */
export interface BatcherStart {
  line: number;
  /** sourceTs of the last timestamped line before `line` (0 = none). */
  sourceTs: number;
}

/** LineSink that builds records for one file and cuts them into batches of `batchSize`. */
export class RecordBatcher implements LineSink {
  /** Full batches waiting to be appended, oldest first. */
  readonly ready: ImportBatch[] = [];
  /** Set by the importer before each chunk: when the chunk was read. */
  ingestTs = 0;
  private current: RecordInput[] = [];
  /** sourceTs of the last line of this file that had one. */
  private lastTs: number;
  /** Lines of this file seen, counting from the start of the file. */
  private fileLine: number;
  /** File offset just past the last line seen. */
  private endByte = 0;

  /** `lineEnd` reports the file offset after the line being handed over (LineSplitter.lineEnd). */
  constructor(
    private readonly attrs: Attrs,
    private readonly batchSize: number,
    private readonly tsCtx: TimestampContext,
    readonly counts: LineCounts,
    private readonly lineEnd: () => number,
    start: BatcherStart = { line: 0, sourceTs: 0 },
  ) {
    this.fileLine = start.line;
    this.lastTs = start.sourceTs;
  }

  /** Lines of this file seen so far (the file line a record cut now would end a batch at). */
  get linesSeen(): number {
    return this.fileLine;
  }

  line(buf: Uint8Array, start: number, end: number, fullLength: number, binary: boolean): void {
    const c = this.counts;
    const parsed = parseLeadingTimestamp(buf, start, end, this.tsCtx);
    if (parsed !== 0) this.lastTs = parsed;
    const sourceTs = this.lastTs;
    let attrs = this.attrs;
    if (fullLength > end - start) {
      attrs = { ...attrs, [TRUNCATED_ATTR]: String(fullLength) };
      c.truncated++;
    }
    c.lines++;
    c.rawBytes += end - start;
    if (binary) c.binary++;
    if (parsed !== 0) c.timestamped++;
    this.current.push({ raw: buf.subarray(start, end), attrs, sourceTs, ingestTs: this.ingestTs });
    this.fileLine++;
    this.endByte = this.lineEnd();
    if (this.current.length >= this.batchSize) this.cut();
  }

  /** Moves the partial batch (if any) to `ready`; call at end of input or when stopping. */
  cut(): void {
    if (this.current.length === 0) return;
    this.ready.push({ records: this.current, line: this.fileLine, byte: this.endByte });
    this.current = [];
  }
}
