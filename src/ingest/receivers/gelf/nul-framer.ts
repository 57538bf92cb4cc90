/**
 * GELF TCP framing: each message ends with a NUL byte. Empty frames are skipped; a frame longer
 * than `maxFrame` is dropped whole ("oversize", bytes counted); bytes after the last NUL wait
 * for more data and are dropped as "incomplete" at close. Pure.
 */

import type { DropReason } from "../../pipeline/counters.ts";

/** Receives frames (`buf` is never modified afterwards) and drops. */
export interface NulFrameSink {
  frame(buf: Uint8Array, start: number, end: number): void;
  dropped(reason: DropReason, messages: number, bytes: number): void;
}

export class NulFramer {
  /** Delimiter bytes consumed. */
  overhead = 0;
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  /** Discarding an oversize frame up to its NUL. */
  private skipping = false;

  constructor(private readonly maxFrame: number) {}

  push(chunk: Uint8Array, sink: NulFrameSink): void {
    let i = 0;
    if (this.skipping || this.pendingLen > 0) {
      const nul = chunk.indexOf(0);
      if (nul < 0) {
        if (this.skipping) sink.dropped("oversize", 0, chunk.length);
        else this.hold(chunk, sink);
        return;
      }
      if (this.skipping) {
        sink.dropped("oversize", 0, nul);
        this.skipping = false;
      } else if (this.pendingLen + nul > this.maxFrame) {
        sink.dropped("oversize", 1, this.pendingLen + nul);
        this.pending = [];
        this.pendingLen = 0;
      } else {
        this.pending.push(chunk.subarray(0, nul));
        const whole = Buffer.concat(this.pending, this.pendingLen + nul);
        this.pending = [];
        this.pendingLen = 0;
        if (whole.length > 0) sink.frame(whole, 0, whole.length);
      }
      this.overhead++;
      i = nul + 1;
    }
    for (;;) {
      const nul = chunk.indexOf(0, i);
      if (nul < 0) break;
      if (nul - i > this.maxFrame) sink.dropped("oversize", 1, nul - i);
      else if (nul > i) sink.frame(chunk, i, nul);
      this.overhead++;
      i = nul + 1;
    }
    if (i < chunk.length) this.hold(chunk.subarray(i), sink);
  }

  /** The peer closed: an unterminated tail is dropped as incomplete. */
  end(sink: NulFrameSink): void {
    if (this.pendingLen > 0) sink.dropped("incomplete", 1, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    this.skipping = false;
  }

  private hold(part: Uint8Array, sink: NulFrameSink): void {
    if (this.pendingLen + part.length > this.maxFrame) {
      sink.dropped("oversize", 1, this.pendingLen + part.length);
      this.pending = [];
      this.pendingLen = 0;
      this.skipping = true;
      return;
    }
    this.pending.push(part);
    this.pendingLen += part.length;
  }
}
