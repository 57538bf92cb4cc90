/**
 * Running per-chunk statistics (counts, byte sizes, the three time ranges) kept by the active
 * chunk of every store and turned into ChunkMeta. Zero timestamps are "unknown" and do not
 * widen a range; an empty range is {min: 0, max: 0}.
 */

import type { TimeRange } from "./types.ts";
import { RECORD_OVERHEAD_BYTES } from "./rotation.ts";

/** Counters and time ranges of one chunk, updated per record without allocation. */
export class ChunkStats {
  records = 0;
  rawBytes = 0;
  attrBytes = 0;
  writeMin = 0;
  writeMax = 0;
  ingestMin = 0;
  ingestMax = 0;
  eventMin = 0;
  eventMax = 0;

  /** Size the `maxBytes` rotation policy compares against. */
  get bytes(): number {
    return this.rawBytes + this.attrBytes + RECORD_OVERHEAD_BYTES * this.records;
  }

  add(writeTs: number, ingestTs: number, sourceTs: number, rawLen: number, attrLen: number): void {
    this.records++;
    this.rawBytes += rawLen;
    this.attrBytes += attrLen;
    if (writeTs !== 0) {
      if (this.writeMin === 0 || writeTs < this.writeMin) this.writeMin = writeTs;
      if (writeTs > this.writeMax) this.writeMax = writeTs;
    }
    if (ingestTs !== 0) {
      if (this.ingestMin === 0 || ingestTs < this.ingestMin) this.ingestMin = ingestTs;
      if (ingestTs > this.ingestMax) this.ingestMax = ingestTs;
    }
    const ev = sourceTs !== 0 ? sourceTs : ingestTs;
    if (ev !== 0) {
      if (this.eventMin === 0 || ev < this.eventMin) this.eventMin = ev;
      if (ev > this.eventMax) this.eventMax = ev;
    }
  }

  copyFrom(o: ChunkStats): void {
    this.records = o.records;
    this.rawBytes = o.rawBytes;
    this.attrBytes = o.attrBytes;
    this.writeMin = o.writeMin;
    this.writeMax = o.writeMax;
    this.ingestMin = o.ingestMin;
    this.ingestMax = o.ingestMax;
    this.eventMin = o.eventMin;
    this.eventMax = o.eventMax;
  }

  writeRange(): TimeRange {
    return { min: this.writeMin, max: this.writeMax };
  }

  ingestRange(): TimeRange {
    return { min: this.ingestMin, max: this.ingestMax };
  }

  eventRange(): TimeRange {
    return { min: this.eventMin, max: this.eventMax };
  }
}
