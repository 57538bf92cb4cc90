/**
 * Turns decoded log entries of one file into records: one entry per record, or with a start
 * pattern (multi-line rule) an entry that matches it starts a record and the following ones
 * that do not are appended with "\n" (stack traces); a non-matching entry with no record open
 * is a record of its own (fluent-bit's first-line rule). Tracks where reading must resume so the
 * records handed out are never read twice: the earliest offset still held back (here or in
 * the decoder before it) plus how many records after it were already handed out.
 */

import type { Attrs } from "../../core/record.ts";
import { TRUNCATED_ATTR } from "../../core/limits.ts";
import type { Draft } from "../checkpoint/checkpointer.ts";

/**
 * Receives decoded entries: `raw` starts at file offset `at`; the next line starts at `next`
 * (-1 for an entry released by a flush rather than by reading a line).
 */
export interface EntrySink {
  entry(raw: Uint8Array, sourceTs: number, attrs: Attrs, at: number, next: number): void;
}

/** A resume point: read again from byte `o`, dropping the first `k` records. */
export interface FilePosition {
  o: number;
  k: number;
}

/** A record's raw is never grown past this by joining. */
const NO_HELD = -1;
const decoder = new TextDecoder();
/** Bytes of an entry tested against the start pattern. */
const PATTERN_WINDOW = 4096;

export class RecordAssembler implements EntrySink {
  /** Records completed since the owner last emptied it. */
  out: Draft[] = [];
  /** Earliest file offset an upstream decoder still holds (-1: none). */
  upstreamHeld: () => number = () => NO_HELD;
  private lastNext = 0;
  /** Start offsets of records handed out while something before them was still held. */
  private starts: number[] = [];
  private group: Uint8Array[] = [];
  private groupBytes = 0;
  private groupAt = NO_HELD;
  private groupTs = 0;
  private groupAttrs: Attrs = {};

  /**
   * `startPattern`: with it, entries are joined into multi-line records; `maxBytes` bounds a
   * joined record (a longer one is cut and marked `_truncated` with the joined length).
   */
  constructor(
    private readonly startPattern: RegExp | undefined,
    private readonly maxBytes: number,
  ) {}

  /** True while entries are held back for joining. */
  get holding(): boolean {
    return this.groupAt !== NO_HELD;
  }

  /** Starts reading at `offset` (nothing emitted or held before it). */
  startAt(offset: number): void {
    this.lastNext = offset;
  }

  entry(raw: Uint8Array, sourceTs: number, attrs: Attrs, at: number, next: number): void {
    if (next >= 0) this.lastNext = next;
    if (this.startPattern === undefined) {
      this.emit(raw, sourceTs, attrs, at);
      return;
    }
    const starts = this.startPattern.test(decoder.decode(raw.length > PATTERN_WINDOW ? raw.subarray(0, PATTERN_WINDOW) : raw));
    if (!starts && this.group.length === 0) {
      // Before any first line (or right after a flush): nothing to continue, a record of its own.
      this.emit(raw, sourceTs, attrs, at);
      return;
    }
    if (starts) {
      this.flush();
      this.groupAt = at;
      this.groupTs = sourceTs;
      this.groupAttrs = attrs;
    }
    this.group.push(raw);
    this.groupBytes += raw.length + (this.group.length > 1 ? 1 : 0);
  }

  /** Emits the held multi-line record, if any (flush timeout, end of a finished file). */
  flush(): void {
    if (this.groupAt === NO_HELD) return;
    const parts = this.group;
    const at = this.groupAt;
    const total = this.groupBytes;
    this.group = [];
    this.groupBytes = 0;
    this.groupAt = NO_HELD;
    if (parts.length === 1) {
      this.emit(parts[0]!, this.groupTs, this.groupAttrs, at);
      return;
    }
    const keep = Math.min(total, this.maxBytes);
    const raw = new Uint8Array(keep);
    let p = 0;
    for (let i = 0; i < parts.length && p < keep; i++) {
      if (i > 0) raw[p++] = 0x0a;
      const part = parts[i]!;
      const n = Math.min(part.length, keep - p);
      raw.set(part.subarray(0, n), p);
      p += n;
    }
    const attrs = total > keep ? { ...this.groupAttrs, [TRUNCATED_ATTR]: String(total) } : this.groupAttrs;
    this.emit(raw.subarray(0, p), this.groupTs, attrs, at);
  }

  /** Where to resume so that the records handed out so far are not read again. */
  resume(): FilePosition {
    const held = this.heldFrom();
    if (held === NO_HELD) {
      this.starts.length = 0;
      return { o: this.lastNext, k: 0 };
    }
    this.starts = this.starts.filter((s) => s >= held);
    return { o: held, k: this.starts.length };
  }

  private heldFrom(): number {
    const up = this.upstreamHeld();
    if (up === NO_HELD) return this.groupAt;
    return this.groupAt === NO_HELD ? up : Math.min(up, this.groupAt);
  }

  private emit(raw: Uint8Array, sourceTs: number, attrs: Attrs, at: number): void {
    const held = this.heldFrom();
    if (held !== NO_HELD && held < at) this.starts.push(at);
    this.out.push({ raw, attrs, sourceTs, ingestTs: 0 });
  }
}
