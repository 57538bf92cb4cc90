/**
 * Splits a stream of byte chunks into lines, handing each line to a sink as (buf, start, end)
 * views into the chunk — no copy, no string. Carries the partial last line across chunks,
 * strips CRLF, keeps a final line without newline, cuts lines past MAX_RAW_BYTES (reporting
 * the full length) and flags NUL / invalid UTF-8 lines as binary. No I/O here.
 */

import { isUtf8 } from "node:buffer";
import { MAX_RAW_BYTES } from "./limits.ts";

const NL = 10;
const CR = 13;

/** Receives lines in order. `buf` is never reused by the splitter, so views may be kept. */
export interface LineSink {
  /**
   * One line without its terminator: bytes buf[start, end). `fullLength` is the line's length
   * before truncation (> end - start only when it was cut to the `maxLine` limit). `binary`:
   * the kept bytes hold NUL or invalid UTF-8 (a sequence cut by truncation does not count).
   */
  line(buf: Uint8Array, start: number, end: number, fullLength: number, binary: boolean): void;
}

/** True when buf[start, end) holds NUL or invalid UTF-8; `cut` forgives a torn last character. */
export function isBinary(buf: Uint8Array, start: number, end: number, cut: boolean): boolean {
  const view = buf.subarray(start, end);
  if (view.indexOf(0) >= 0) return true;
  if (isUtf8(view)) return false;
  if (!cut) return true;
  for (let e = end - 1; e >= Math.max(start, end - 3); e--) {
    if ((buf[e]! & 0xc0) !== 0x80) return !isUtf8(buf.subarray(start, e));
  }
  return true;
}

/**
 * Stateful newline splitter. Call `push` per chunk and `finish` at end of input. Memory is
 * bounded by the largest chunk plus one carried line of at most `maxLine` bytes.
 */
export class LineSplitter {
  /**
   * Stream offset just past the terminator of the line being handed to the sink (read it
   * inside `LineSink.line`): where a reader resumes to continue after that line.
   */
  lineEnd = 0;
  /** Stream offset of the first byte of the chunk being split. */
  private base = 0;
  private carry: Uint8Array;
  /** Bytes kept in `carry` (≤ maxLine). */
  private carryLen = 0;
  /** Bytes of the pending partial line seen so far, kept or not. */
  private carryTotal = 0;
  /** Last byte of the pending partial line, to strip a CR split from its LF. */
  private carryLast = -1;

  /** `startOffset`: the stream offset of the first byte pushed (a resumed read), for lineEnd. */
  constructor(
    private readonly maxLine: number = MAX_RAW_BYTES,
    startOffset = 0,
  ) {
    this.carry = new Uint8Array(Math.min(maxLine, 64 * 1024));
    this.base = this.lineEnd = startOffset;
  }

  /** Splits one chunk; `chunk` must not be modified afterwards (lines are views into it). */
  push(chunk: Uint8Array, sink: LineSink): void {
    let pos = 0;
    if (this.carryTotal > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        this.base += chunk.length;
        return;
      }
      this.append(chunk, 0, nl);
      this.lineEnd = this.base + nl + 1;
      this.emitCarry(sink);
      pos = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl >= pos) {
      const clean = !isBinary(chunk, pos, lastNl, false);
      while (pos <= lastNl) {
        const nl = chunk.indexOf(NL, pos);
        const end = nl > pos && chunk[nl - 1] === CR ? nl - 1 : nl;
        this.lineEnd = this.base + nl + 1;
        this.emit(chunk, pos, end, clean, sink);
        pos = nl + 1;
      }
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
    this.base += chunk.length;
  }

  /** Emits the final line when the input did not end with a newline. */
  finish(sink: LineSink): void {
    this.lineEnd = this.base;
    if (this.carryTotal > 0) this.emitCarry(sink);
  }

  private emit(buf: Uint8Array, start: number, end: number, clean: boolean, sink: LineSink): void {
    const full = end - start;
    if (full <= this.maxLine) {
      sink.line(buf, start, end, full, clean ? false : isBinary(buf, start, end, false));
      return;
    }
    const cutEnd = start + this.maxLine;
    sink.line(buf, start, cutEnd, full, clean ? false : isBinary(buf, start, cutEnd, true));
  }

  private append(buf: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    this.carryTotal += end - start;
    this.carryLast = buf[end - 1]!;
    const room = this.maxLine - this.carryLen;
    const take = Math.min(room, end - start);
    if (take <= 0) return;
    const need = this.carryLen + take;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.min(this.maxLine, Math.max(need, this.carry.length * 2)));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(buf.subarray(start, start + take), this.carryLen);
    this.carryLen = need;
  }

  private emitCarry(sink: LineSink): void {
    const full = this.carryLast === CR ? this.carryTotal - 1 : this.carryTotal;
    const kept = Math.min(this.carryLen, full);
    const line = this.carry.slice(0, kept);
    this.carryLen = 0;
    this.carryTotal = 0;
    this.carryLast = -1;
    sink.line(line, 0, kept, full, isBinary(line, 0, kept, full > kept));
  }
}
