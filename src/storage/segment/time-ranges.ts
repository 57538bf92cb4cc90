/**
 * Running min/max of the three timestamp kinds (write, ingest, event) over a set of records,
 * as plain numbers so the per-record update allocates nothing. Empty sets report 0/0.
 */

import type { TimeRange } from "../types.ts";

export class TimeRanges {
  private n = 0;
  private wMin = 0;
  private wMax = 0;
  private iMin = 0;
  private iMax = 0;
  private eMin = 0;
  private eMax = 0;

  add(write: number, ingest: number, event: number): void {
    if (this.n++ === 0) {
      this.wMin = this.wMax = write;
      this.iMin = this.iMax = ingest;
      this.eMin = this.eMax = event;
      return;
    }
    if (write < this.wMin) this.wMin = write;
    if (write > this.wMax) this.wMax = write;
    if (ingest < this.iMin) this.iMin = ingest;
    if (ingest > this.iMax) this.iMax = ingest;
    if (event < this.eMin) this.eMin = event;
    if (event > this.eMax) this.eMax = event;
  }

  /** Folds `o` into this set. */
  merge(o: TimeRanges): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      this.wMin = o.wMin;
      this.iMin = o.iMin;
      this.eMin = o.eMin;
      this.wMax = o.wMax;
      this.iMax = o.iMax;
      this.eMax = o.eMax;
    } else {
      this.wMin = Math.min(this.wMin, o.wMin);
      this.iMin = Math.min(this.iMin, o.iMin);
      this.eMin = Math.min(this.eMin, o.eMin);
      this.wMax = Math.max(this.wMax, o.wMax);
      this.iMax = Math.max(this.iMax, o.iMax);
      this.eMax = Math.max(this.eMax, o.eMax);
    }
    this.n += o.n;
  }

  reset(): void {
    this.n = this.wMin = this.wMax = this.iMin = this.iMax = this.eMin = this.eMax = 0;
  }

  write(): TimeRange {
    return { min: this.wMin, max: this.wMax };
  }

  ingest(): TimeRange {
    return { min: this.iMin, max: this.iMax };
  }

  event(): TimeRange {
    return { min: this.eMin, max: this.eMax };
  }
}
