/**
 * Cuts the bytes of one file (given in consecutive chunks with their file offsets) into lines
 * for a LineSink, keeping each line's file offsets so positions can be checkpointed at line
 * boundaries. UTF-8 lines are views into the chunk (no copy); UTF-16 LE/BE lines are
 * transcoded to UTF-8 (one JS char per code unit keeps the offset arithmetic exact). CR before
 * LF is dropped. A line longer than `maxLine` keeps its first `maxLine` bytes and reports its
 * full length; only that head is held while the rest is skipped. An unterminated last line is
 * carried until its LF arrives, or handed out by end().
 */

import { concatBytes } from "../../core/bytes/concat.ts";

/** Text encodings a followed file may have (a BOM selects one under "auto"). */
export type Encoding = "utf-8" | "utf-16le" | "utf-16be";

/** Receives lines in file order. */
export interface LineSink {
  /**
   * One line without its terminator: UTF-8 bytes buf[start, end); it starts at file offset
   * `at` and the next line starts at `next`. `fullLength` > end - start when it was cut.
   */
  line(buf: Uint8Array, start: number, end: number, at: number, next: number, fullLength: number): void;
}

/** A stateful line cutter over one file's bytes. */
export interface LineFeeder {
  /** Feeds `chunk`, which starts at file offset `offset` (right after the previous chunk). */
  push(chunk: Uint8Array, offset: number): void;
  /** Hands out the carried unterminated line, if any (end of a file that will not grow). */
  end(): void;
  /** Forgets the carried line (the file was truncated or replaced). */
  reset(): void;
  /** File offset where the carried unterminated line starts, -1 when none. */
  readonly carriedFrom: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** The encoding a file's first bytes announce, and the BOM's length. */
export function sniffBom(head: Uint8Array): { encoding: Encoding; bom: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bom: 2 };
  return undefined;
}

/** A feeder for `encoding` handing lines of at most `maxLine` bytes to `sink`. */
export function lineFeeder(sink: LineSink, maxLine: number, encoding: Encoding): LineFeeder {
  return encoding === "utf-8" ? new Utf8Feeder(sink, maxLine) : new Utf16Feeder(sink, maxLine, encoding);
}

class Utf8Feeder implements LineFeeder {
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private carryAt = -1;
  /** Bytes of the carried line seen so far, kept or not. */
  private carryTotal = 0;
  private carryLast = -1;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLine: number,
  ) {}

  get carriedFrom(): number {
    return this.carryAt;
  }

  push(chunk: Uint8Array, offset: number): void {
    let pos = 0;
    if (this.carryAt >= 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.hold(chunk, 0, chunk.length, offset);
        return;
      }
      this.hold(chunk, 0, nl, offset);
      this.emitCarry(offset + nl + 1);
      pos = nl + 1;
    }
    const sink = this.sink;
    const max = this.maxLine;
    for (let nl = chunk.indexOf(LF, pos); nl >= 0; nl = chunk.indexOf(LF, pos)) {
      const end = nl > pos && chunk[nl - 1] === CR ? nl - 1 : nl;
      const full = end - pos;
      sink.line(chunk, pos, full > max ? pos + max : end, offset + pos, offset + nl + 1, full);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.hold(chunk, pos, chunk.length, offset);
  }

  end(): void {
    if (this.carryAt >= 0) this.emitCarry(this.carryAt + this.carryTotal);
  }

  reset(): void {
    this.carryLen = 0;
    this.carryAt = -1;
    this.carryTotal = 0;
    this.carryLast = -1;
  }

  private hold(buf: Uint8Array, start: number, end: number, offset: number): void {
    if (this.carryAt < 0) this.carryAt = offset + start;
    if (end === start) return;
    this.carryTotal += end - start;
    this.carryLast = buf[end - 1]!;
    const take = Math.min(end - start, this.maxLine - this.carryLen);
    if (take <= 0) return;
    if (this.carryLen + take > this.carry.length) {
      const grown = new Uint8Array(Math.min(this.maxLine, Math.max(this.carryLen + take, this.carry.length * 2, 256)));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(buf.subarray(start, start + take), this.carryLen);
    this.carryLen += take;
  }

  private emitCarry(next: number): void {
    const at = this.carryAt;
    const full = this.carryLast === CR ? this.carryTotal - 1 : this.carryTotal;
    const kept = Math.min(this.carryLen, full);
    const bytes = this.carry.slice(0, kept);
    this.reset();
    this.sink.line(bytes, 0, kept, at, next, full);
  }
}

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const utf8 = new TextEncoder();

class Utf16Feeder implements LineFeeder {
  private readonly decoder: TextDecoder;
  private readonly le: boolean;
  /** Carried text (at most maxLine chars kept) and the file offset of its first code unit. */
  private text = "";
  private textAt = -1;
  /** Code units of the carried line seen so far, kept or not. */
  private textTotal = 0;
  /** Bytes not yet decodable (an odd byte, a high surrogate waiting for its pair). */
  private tail = new Uint8Array(0);

  constructor(
    private readonly sink: LineSink,
    private readonly maxLine: number,
    encoding: "utf-16le" | "utf-16be",
  ) {
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
    this.le = encoding === "utf-16le";
  }

  get carriedFrom(): number {
    return this.textAt;
  }

  push(chunk: Uint8Array, offset: number): void {
    const bytes = this.tail.length > 0 ? concatBytes([this.tail, chunk]) : chunk;
    const base = offset - this.tail.length;
    let usable = bytes.length & ~1;
    if (usable >= 2) {
      const unit = this.le ? bytes[usable - 2]! | (bytes[usable - 1]! << 8) : (bytes[usable - 2]! << 8) | bytes[usable - 1]!;
      if (unit >= HIGH_SURROGATE_MIN && unit <= HIGH_SURROGATE_MAX) usable -= 2;
    }
    this.tail = bytes.slice(usable);
    const s = this.decoder.decode(bytes.subarray(0, usable));
    let pos = 0;
    for (let nl = s.indexOf("\n"); nl >= 0; nl = s.indexOf("\n", pos)) {
      if (this.textAt >= 0) {
        this.keep(s.slice(0, nl), base);
        const at = this.textAt;
        const [text, total] = [this.text, this.textTotal];
        this.clearText();
        this.emit(text, total, at, base + 2 * (nl + 1));
      } else {
        this.emit(s.slice(pos, nl), nl - pos, base + 2 * pos, base + 2 * (nl + 1));
      }
      pos = nl + 1;
    }
    if (pos < s.length) this.keep(s.slice(pos), base + 2 * pos);
  }

  end(): void {
    if (this.textAt < 0) return;
    const at = this.textAt;
    const [text, total] = [this.text, this.textTotal];
    this.clearText();
    this.emit(text, total, at, at + 2 * total);
  }

  reset(): void {
    this.clearText();
    this.tail = new Uint8Array(0);
  }

  private keep(s: string, at: number): void {
    if (this.textAt < 0) this.textAt = at;
    this.textTotal += s.length;
    if (this.text.length < this.maxLine) this.text += s.slice(0, this.maxLine - this.text.length);
  }

  private clearText(): void {
    this.text = "";
    this.textAt = -1;
    this.textTotal = 0;
  }

  /** `text` is the kept part of a line of `units` code units. */
  private emit(text: string, units: number, at: number, next: number): void {
    const cr = text.endsWith("\r") && units === text.length;
    const out = utf8.encode(cr ? text.slice(0, -1) : text);
    const full = units > text.length ? out.length + (units - text.length) : out.length;
    this.sink.line(out, 0, Math.min(out.length, this.maxLine), at, next, full);
  }
}
