/**
 * The syslog format index's pairs at seal without strings: the RFC 5424 and RFC 3164 header
 * patterns of the syslog walker (syslog-fields.ts) matched on the bytes of the line's first
 * 512 bytes when they are ASCII (same fields), each written lowercased straight into the pair
 * sink, as one of eight fixed fields (PairSink.fieldPair: a builder records a field repeating
 * the value it had last by its pair id, pair-memo.ts). A line with no such header has no
 * syslog fields; a non-ASCII head goes to the walker ("walker"), which stays the definition.
 */

import { copyBytes } from "../core/bytes/copy.ts";
import { sinkPair, type PairSink } from "./msgkv-builder.ts";
import { FieldRanges, isDigit, isSpace, wordEnd } from "./seal-bytes.ts";
import { FACILITIES, SEVERITIES } from "./syslog-fields.ts";

/** "none": no syslog fields; "done": pairs reported; "walker": run the syslog walker instead. */
export type SyslogPairsResult = "none" | "done" | "walker";

const NO_BYTES = new Uint8Array(0);

/** The walker reads this much of a line. */
const HEAD_BYTES = 512;
const SPACE = 0x20;
const enc = new TextEncoder();
const bytesOf = (words: readonly string[]) => words.map((w) => enc.encode(w));
const NUMBERS = bytesOf(FACILITIES.map((_, i) => String(i)));
const FACILITY_NAMES = bytesOf(FACILITIES);
const SEVERITY_NAMES = bytesOf(SEVERITIES);
const [FACILITY, SEVERITY, FACILITY_NAME, SEVERITY_NAME] = bytesOf(["facility", "severity", "facility_name", "severity_name"]);
/** The keys of the fields written in the line, in the reader's field order. */
const FIELD_KEYS = bytesOf(["hostname", "app", "pid", "msgid"]);



/** Reads one line; reused across lines. */
export class SyslogPairReader {
  /** The record's buffer while it is read (released after, not to keep a chunk alive). */
  private data: Uint8Array = NO_BYTES;
  /** The end of the head (the first 512 bytes). */
  private end = 0;
  /** PRI digits data[priFrom, priTo), priFrom = -1 when absent; the fields' ranges. */
  private priFrom = -1;
  private priTo = 0;
  private readonly fields = new FieldRanges(4);

  /** Reports the syslog fields of `data[start, end)` to `sink`, or says the walker must. */
  pairs(data: Uint8Array, start: number, end: number, sink: PairSink): SyslogPairsResult {
    const result = this.read(data, start, end, sink);
    this.data = NO_BYTES;
    return result;
  }

  private read(data: Uint8Array, start: number, end: number, sink: PairSink): SyslogPairsResult {
    if (end - start < 16) return "none";
    const b = data[start]!;
    if (b !== 0x3c && !(b >= 0x41 && b <= 0x5a) && !isDigit(b)) return "none";
    this.data = data;
    const headEnd = (this.end = Math.min(end, start + HEAD_BYTES));
    for (let i = start; i < headEnd; i++) if (data[i]! >= 0x80) return "walker";
    if (!this.rfc5424(start) && !this.rfc3164(start)) return "none";
    this.report(sink);
    return "done";
  }

  /** The byte at i, or -1 past the head. */
  private at(i: number): number {
    return i < this.end ? this.data[i]! : -1;
  }

  /** `<PRI>VERSION TIMESTAMP HOST APP PROCID MSGID` then a space or the head's end. */
  private rfc5424(p: number): boolean {
    if (this.at(p) !== 0x3c) return false;
    p = this.pri(p);
    if (p < 0 || !(this.at(p) >= 0x31 && this.at(p) <= 0x39)) return false;
    let v = p + 1;
    while (v < p + 3 && isDigit(this.at(v))) v++;
    if (this.at(v) !== SPACE) return false;
    p = v + 1;
    for (let f = -1; f < 4; f++) {
      const e = wordEnd(this.data, p, this.end);
      if (e === p) return false;
      if (f >= 0) this.fields.set(f, p, e);
      if (f < 3 && this.at(e) !== SPACE) return false;
      if (f === 3 && e < this.end && this.at(e) !== SPACE) return false;
      p = e + 1;
    }
    return true;
  }

  /** `[<PRI>]DATE HOST APP[PID]: ` (DATE `Mmm dd hh:mm:ss` or RFC 3339). */
  private rfc3164(p: number): boolean {
    this.priFrom = -1;
    if (this.at(p) === 0x3c) p = this.pri(p);
    if (p < 0) return false;
    p = this.date(p);
    if (p < 0 || this.at(p) !== SPACE) return false;
    const hostEnd = wordEnd(this.data, p + 1, this.end);
    if (hostEnd === p + 1 || this.at(hostEnd) !== SPACE) return false;
    this.fields.set(0, p + 1, hostEnd);
    let a = hostEnd + 1;
    for (let c = this.at(a); c >= 0 && !isSpace(c) && c !== 0x5b && c !== 0x3a; c = this.at(++a));
    if (a === hostEnd + 1) return false;
    this.fields.set(1, hostEnd + 1, a);
    this.fields.from[2] = this.fields.from[3] = -1;
    if (this.at(a) === 0x5b) {
      let q = a + 1;
      for (let c = this.at(q); c >= 0 && !isSpace(c) && c !== 0x5d; c = this.at(++q));
      if (q === a + 1 || this.at(q) !== 0x5d) return false;
      this.fields.set(2, a + 1, q);
      a = q + 1;
    }
    return this.at(a) === 0x3a && this.at(a + 1) === SPACE;
  }

  /** Past `<d{1,3}>` at p (recorded), or -1. */
  private pri(p: number): number {
    let d = p + 1;
    while (d < p + 4 && isDigit(this.at(d))) d++;
    if (d === p + 1 || this.at(d) !== 0x3e) return -1;
    this.priFrom = p + 1;
    this.priTo = d;
    return d + 1;
  }

  /** Past `Mmm dd hh:mm:ss` or `dddd-dd-ddThh:mm:ss[.d+](Z|[+-]dd[:]dd)` at p, or -1. */
  private date(p: number): number {
    const c0 = this.at(p);
    if (c0 >= 0x41 && c0 <= 0x5a) {
      const ok =
        this.lowerAt(p + 1) && this.lowerAt(p + 2) && this.at(p + 3) === SPACE && (this.at(p + 4) === SPACE || this.digitAt(p + 4)) && this.digitAt(p + 5) &&
        this.at(p + 6) === SPACE && this.digitAt(p + 7) && this.digitAt(p + 8) && this.at(p + 9) === 0x3a && this.digitAt(p + 10) && this.digitAt(p + 11) &&
        this.at(p + 12) === 0x3a && this.digitAt(p + 13) && this.digitAt(p + 14);
      return ok ? p + 15 : -1;
    }
    const ok =
      this.digitAt(p) && this.digitAt(p + 1) && this.digitAt(p + 2) && this.digitAt(p + 3) && this.at(p + 4) === 0x2d && this.digitAt(p + 5) && this.digitAt(p + 6) &&
      this.at(p + 7) === 0x2d && this.digitAt(p + 8) && this.digitAt(p + 9) && this.at(p + 10) === 0x54 && this.digitAt(p + 11) && this.digitAt(p + 12) &&
      this.at(p + 13) === 0x3a && this.digitAt(p + 14) && this.digitAt(p + 15) && this.at(p + 16) === 0x3a && this.digitAt(p + 17) && this.digitAt(p + 18);
    if (!ok) return -1;
    let i = p + 19;
    if (this.at(i) === 0x2e && this.digitAt(i + 1)) {
      i++;
      while (this.digitAt(i)) i++;
    }
    if (this.at(i) === 0x5a) return i + 1;
    if (this.at(i) !== 0x2b && this.at(i) !== 0x2d) return -1;
    if (!this.digitAt(i + 1) || !this.digitAt(i + 2)) return -1;
    i += 3;
    if (this.at(i) === 0x3a) i++;
    return this.digitAt(i) && this.digitAt(i + 1) ? i + 2 : -1;
  }

  private digitAt(i: number): boolean {
    return isDigit(this.at(i));
  }

  private lowerAt(i: number): boolean {
    const c = this.at(i);
    return c >= 0x61 && c <= 0x7a;
  }



  /** PRI's four fields (when PRI ≤ 191), then hostname, app, pid, msgid except `-`. */
  private report(sink: PairSink): void {
    const data = this.data;
    if (this.priFrom >= 0) {
      let n = 0;
      for (let i = this.priFrom; i < this.priTo; i++) n = n * 10 + data[i]! - 0x30;
      if (n <= 191) {
        const f = n >> 3;
        const s = n & 7;
        const named = (slot: number, key: Uint8Array, value: Uint8Array) => this.emit(sink, slot, key, value, 0, value.length);
        if (!named(0, FACILITY!, NUMBERS[f]!) || !named(1, SEVERITY!, NUMBERS[s]!) || !named(2, FACILITY_NAME!, FACILITY_NAMES[f]!) || !named(3, SEVERITY_NAME!, SEVERITY_NAMES[s]!)) return;
      }
    }
    for (let f = 0; f < 4; f++) {
      const from = this.fields.from[f]!;
      const to = this.fields.to[f]!;
      if (from < 0 || (to === from + 1 && data[from] === 0x2d)) continue;
      if (!this.emit(sink, 4 + f, FIELD_KEYS[f]!, data, from, to)) return;
    }
  }

  /** Reports key=src[from, to) (lowercased), field `slot` of the header, to the sink; false once the sink is full. */
  private emit(sink: PairSink, slot: number, key: Uint8Array, src: Uint8Array, from: number, to: number): boolean {
    if (sink.fieldPair !== undefined) return sink.fieldPair(slot, key, src, from, to);
    copyBytes(sink.scratch, 0, key, 0, key.length);
    return sinkPair(sink, key.length, src, from, to);
  }
}
