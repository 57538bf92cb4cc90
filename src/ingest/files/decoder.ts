/**
 * Decoders sit between the LineFeeder and the RecordAssembler: they take the physical lines of
 * one file and hand out log entries. The text decoder (plain log files) passes each line on
 * with the timestamp found at its start (a line without one inherits the previous line's);
 * envelope formats (Docker json-file, CRI) implement the same interface in their receivers.
 * Lines cut to the length limit get `_truncated` (their full length) and are counted as
 * `truncated` drops of their cut-off bytes, like every receiver's messages stored cut short.
 */

import { TRUNCATED_ATTR } from "../../core/limits.ts";
import type { Attrs } from "../../core/record.ts";
import type { ReceiverCounters } from "../pipeline/counters.ts";
import { parseLeadingTimestamp, type TimestampContext } from "../parse/timestamp.ts";
import type { EntrySink } from "./assembler.ts";
import type { LineSink } from "./line-feeder.ts";

/** A LineSink that also holds lines back (partial-line envelopes) and can release them. */
export interface Decoder extends LineSink {
  /** Hands out held partial entries as they are (end of a finished file, flush timeout). */
  flush(): void;
  /** File offset of the earliest line held back, -1 when none. */
  heldFrom(): number;
}

/** Counts a cut line: one truncation, and a `truncated` drop of its cut-off bytes (`where` names the source). */
export function countTruncation(counters: ReceiverCounters, kept: number, full: number, where: string): void {
  counters.limits.rawTruncated++;
  counters.drop("truncated", 1, full - kept, `${where}: a line of ${full} bytes cut to ${kept} (maxLineBytes)`);
}

/** Attrs of a cut line: the file's attrs plus `_truncated` = full length. */
export function truncatedAttrs(attrs: Attrs, full: number): Attrs {
  return { ...attrs, [TRUNCATED_ATTR]: String(full) };
}

/** Plain text: one entry per line, leading timestamp -> sourceTs. */
export class PlainTextDecoder implements Decoder {
  private lastTs = 0;

  constructor(
    private readonly sink: EntrySink,
    private readonly attrs: Attrs,
    private readonly ts: TimestampContext,
    private readonly counters: ReceiverCounters,
  ) {}

  line(buf: Uint8Array, start: number, end: number, at: number, next: number, full: number): void {
    const parsed = parseLeadingTimestamp(buf, start, end, this.ts);
    if (parsed !== 0) this.lastTs = parsed;
    let attrs = this.attrs;
    if (full > end - start) {
      countTruncation(this.counters, end - start, full, this.attrs.file ?? "a file");
      attrs = truncatedAttrs(attrs, full);
    }
    this.sink.entry(buf.subarray(start, end), this.lastTs, attrs, at, next);
  }

  flush(): void {}

  heldFrom(): number {
    return -1;
  }
}
