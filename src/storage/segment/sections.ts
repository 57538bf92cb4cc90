/**
 * Runs SectionBuilders during a seal and isolates their failures: a builder that throws (in
 * add or finish) or names its section badly is dropped, its error recorded, and the segment is
 * still written without that section — unless it throws SealAbort, which fails the whole seal
 * (the chunk stays active and is sealed again later). Decides the segment's index status, and
 * records each builder's outcome and the time spent in builders (for metrics).
 */

import { errorMessage, LogError } from "../../core/errors.ts";
import type { RecordBatch, SectionBuilder, SectionOutcome } from "../types.ts";
import { isValidSectionName, type SegmentIndexStatus } from "./directory.ts";

/** A finished section ready to be written. */
export interface FinishedSection {
  name: string;
  bytes: Uint8Array;
}

/**
 * Thrown by a builder whose section cannot be had now for a reason outside the data (the thread
 * building it died): the seal fails instead of writing a segment without the section.
 */
export class SealAbort extends LogError {
  constructor(message: string) {
    super("internal", message);
    this.name = "SealAbort";
  }
}

export class SectionRunner {
  private live: SectionBuilder[] = [];
  private capped = false;
  readonly errors: string[] = [];
  /** One entry per builder that finished or failed, in that order. */
  readonly outcomes: SectionOutcome[] = [];
  /** Milliseconds spent inside builders (add and finish). */
  millis = 0;

  constructor(private readonly builders: readonly SectionBuilder[]) {
    const seen = new Set<string>();
    for (const b of builders) {
      if (!isValidSectionName(b.name)) this.errors.push(`section "${b.name}": name must be 1-64 printable ASCII characters`);
      else if (seen.has(b.name)) this.errors.push(`section "${b.name}": duplicate name`);
      else {
        seen.add(b.name);
        this.live.push(b);
      }
    }
  }

  /** Feeds `batch` to every builder still running. */
  add(batch: RecordBatch): void {
    const t0 = performance.now();
    for (let i = 0; i < this.live.length; i++) {
      const b = this.live[i]!;
      try {
        b.add(batch);
      } catch (err) {
        if (err instanceof SealAbort) throw err;
        this.fail(b, err);
        i--;
      }
    }
    this.millis += performance.now() - t0;
  }

  /**
   * Finishes every builder still running; returns their sections in builder order. `after`
   * runs after each builder finished (the writer lets the GC pacer look at memory there).
   */
  finish(after: () => void = () => {}): FinishedSection[] {
    const t0 = performance.now();
    const out: FinishedSection[] = [];
    for (const b of this.live) {
      try {
        const r = b.finish();
        if (r.status !== "complete") this.capped = true;
        out.push({ name: b.name, bytes: r.bytes });
        this.outcomes.push({ name: b.name, status: r.status });
      } catch (err) {
        if (err instanceof SealAbort) throw err;
        this.errors.push(`section "${b.name}": ${errorMessage(err)}`);
        this.outcomes.push({ name: b.name, status: "failed" });
      }
      after();
    }
    this.live = [];
    this.millis += performance.now() - t0;
    return out;
  }

  /** Index status after finish(). */
  status(): SegmentIndexStatus {
    if (this.builders.length === 0) return "none";
    if (this.errors.length > 0) return "failed";
    return this.capped ? "capped" : "complete";
  }

  private fail(b: SectionBuilder, err: unknown): void {
    this.errors.push(`section "${b.name}": ${errorMessage(err)}`);
    this.outcomes.push({ name: b.name, status: "failed" });
    this.live.splice(this.live.indexOf(b), 1);
  }
}
