/**
 * The access log (CLF) format index's pairs at seal without strings: first a byte test of the
 * line's shape (`host ident user [`), which every line the CLF walker (clf-fields.ts) parses
 * has; then, for an ASCII line without a backslash in its quoted fields, the walker's pattern
 * matched on bytes (same fields, same backtracking outcome), each field written lowercased
 * straight into the pair sink. Other lines of that shape go to the walker ("walker"), which
 * stays the definition.
 */

import { copyBytes } from "../core/bytes/copy.ts";
import { CLF_KEYS } from "./clf-fields.ts";
import { sinkPair, type PairSink } from "./msgkv-builder.ts";
import { FieldRanges, isDigit, isSpace, wordEnd } from "./seal-bytes.ts";

/** "none": no CLF fields; "done": pairs reported; "walker": run the CLF walker instead. */
export type ClfPairsResult = "none" | "done" | "walker";

const NO_BYTES = new Uint8Array(0);

const SPACE = 0x20;
const QUOTE = 0x22;
const KEY_BYTES = CLF_KEYS.map((k) => new TextEncoder().encode(k));


/** Reads one line; reused across lines. */
export class ClfPairReader {
  /** Field i in CLF_KEYS order. */
  private readonly fields = new FieldRanges(CLF_KEYS.length);
  /** The record's buffer while it is read (released after, not to keep a chunk alive). */
  private data: Uint8Array = NO_BYTES;
  private end = 0;

  /** Reports the CLF fields of `data[start, end)` to `sink`, or says the walker must. */
  pairs(data: Uint8Array, start: number, end: number, sink: PairSink): ClfPairsResult {
    const result = this.read(data, start, end, sink);
    this.data = NO_BYTES;
    return result;
  }

  private read(data: Uint8Array, start: number, end: number, sink: PairSink): ClfPairsResult {
    this.data = data;
    this.end = end;
    let at = start;
    for (let f = 0; f < 3; f++) {
      const e = wordEnd(this.data, at, this.end);
      if (e === at || data[e] !== SPACE) return "none";
      this.fields.set(f, at, e);
      at = e + 1;
    }
    if (at >= end || data[at] !== 0x5b) return "none";
    for (let i = start; i < end; i++) if (data[i]! >= 0x80) return "walker";
    let close = at + 1;
    while (close < end && data[close] !== 0x5d) close++;
    if (close >= end || close === at + 1 || data[close + 1] !== SPACE || data[close + 2] !== QUOTE || close + 2 >= end) return "none";
    this.fields.set(3, at + 1, close);
    const methodEnd = wordEnd(this.data, close + 3, this.end);
    if (methodEnd === close + 3 || data[methodEnd] !== SPACE) return "none";
    this.fields.set(4, close + 3, methodEnd);
    const tail = this.request(methodEnd + 1);
    if (tail === "walker" || tail === "none") return tail;
    this.report(sink);
    return "done";
  }

  /**
   * `(\S*?)(?: (\S+))?"` then the rest at `p0`: the lazy path first ends at a quote closing
   * its word, else the path is the word and the protocol the next word less its closing quote.
   */
  private request(p0: number): "none" | "walker" | "ok" {
    const data = this.data;
    const r = wordEnd(this.data, p0, this.end);
    if (r > p0 && data[r - 1] === QUOTE) {
      const rest = this.rest(r);
      if (rest !== "none") {
        this.fields.set(5, p0, r - 1);
        this.fields.from[6] = -1;
        return rest;
      }
    }
    if (r >= this.end || data[r] !== SPACE) return "none";
    const r2 = wordEnd(this.data, r + 1, this.end);
    if (r2 - (r + 1) < 2 || data[r2 - 1] !== QUOTE) return "none";
    const rest = this.rest(r2);
    if (rest !== "none") {
      this.fields.set(5, p0, r);
      this.fields.set(6, r + 1, r2 - 1);
    }
    return rest;
  }

  /** ` (\d{3}) (\d+|-)(?: "referer" "user_agent")?(?:\s|$)` at `p`. */
  private rest(p: number): "none" | "walker" | "ok" {
    const data = this.data;
    const end = this.end;
    if (p + 5 > end || data[p] !== SPACE || !isDigit(data[p + 1]!) || !isDigit(data[p + 2]!) || !isDigit(data[p + 3]!) || data[p + 4] !== SPACE) return "none";
    this.fields.set(7, p + 1, p + 4);
    const bs = p + 5;
    let be = bs;
    while (be < end && isDigit(data[be]!)) be++;
    if (be === bs) {
      if (bs >= end || data[bs] !== 0x2d) return "none";
      be = bs + 1;
    }
    this.fields.set(8, bs, be);
    this.fields.from[9] = this.fields.from[10] = -1;
    if (be + 1 < end && data[be] === SPACE && data[be + 1] === QUOTE) {
      const refEnd = this.quotedEnd(be + 2);
      if (refEnd === -2) return "walker";
      if (refEnd >= 0 && data[refEnd + 1] === SPACE && data[refEnd + 2] === QUOTE && refEnd + 2 < end) {
        const agentEnd = this.quotedEnd(refEnd + 3);
        if (agentEnd === -2) return "walker";
        if (agentEnd >= 0 && (agentEnd + 1 === end || isSpace(data[agentEnd + 1]!))) {
          this.fields.set(9, be + 2, refEnd);
          this.fields.set(10, refEnd + 3, agentEnd);
          return "ok";
        }
      }
    }
    return be === end || isSpace(data[be]!) ? "ok" : "none";
  }

  /** The closing quote of a quoted field starting at `i`; -1 when none, -2 at a backslash. */
  private quotedEnd(i: number): number {
    const data = this.data;
    for (; i < this.end; i++) {
      const c = data[i]!;
      if (c === QUOTE) return i;
      if (c === 0x5c) return -2;
    }
    return -1;
  }



  /** The fields, as the walker reports them: `-` and empty fields left out. */
  private report(sink: PairSink): void {
    const data = this.data;
    for (let f = 0; f < CLF_KEYS.length; f++) {
      const from = this.fields.from[f]!;
      const to = this.fields.to[f]!;
      if (from < 0 || to === from || (to === from + 1 && data[from] === 0x2d)) continue;
      copyBytes(sink.scratch, 0, KEY_BYTES[f]!, 0, KEY_BYTES[f]!.length);
      if (!sinkPair(sink, KEY_BYTES[f]!.length, data, from, to)) return;
    }
  }
}

