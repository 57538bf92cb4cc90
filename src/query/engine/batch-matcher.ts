/**
 * Evaluates compiled predicates over a RecordBatch: each predicate's kind marks the records
 * that satisfy it in one pass over the batch, and the result is kept per predicate. The kinds
 * use the helpers here: needle search that maps each hit to its record and verifies it there
 * (a native byte search when the needle has no letter or has an anchor — a run of digits or
 * punctuation, checked with ASCII case folding where it is found — else a case-insensitive
 * literal RegExp over the batch's raw bytes viewed once as a latin1 string, no per-record
 * strings), and a memoised per-attribute-map test.
 */

import { ASCII_LOWER } from "../../core/ascii.ts";
import type { Attrs } from "../../core/record.ts";
import type { RecordBatch } from "../../storage/types.ts";
import type { Anchor } from "./anchor.ts";
import type { Needle } from "./predicates/needle.ts";
import type { Predicate } from "./predicates/types.ts";

/** Checks a needle hit at text offset `h` inside the record spanning text offsets [rs, re). */
export type HitCheck = (h: number, rs: number, re: number) => boolean;

export class BatchMatcher {
  private latin1: string | undefined;
  private buffer: Buffer | undefined;
  private readonly memo = new Map<Predicate, Uint8Array>();
  /** Offset in `batch.data` of the batch's text offset 0. */
  readonly base: number;

  /**
   * `rows`: when given, only these records' flags are read (the filter's candidates), so a kind
   * may leave the others unevaluated.
   */
  constructor(
    readonly batch: RecordBatch,
    readonly rows?: Uint32Array,
  ) {
    this.base = batch.rawOffsets[0]!;
  }

  /** True when record i (batch-relative) satisfies `p`. */
  test(p: Predicate, i: number): boolean {
    return this.flags(p)[i] === 1;
  }

  /** Per record of the batch, 1 when it satisfies `p` (computed in one pass by its kind, then kept). */
  flags(p: Predicate): Uint8Array {
    let f = this.memo.get(p);
    if (f === undefined) {
      f = new Uint8Array(this.batch.count);
      p.kind.evaluate(p, this, f);
      this.memo.set(p, f);
    }
    return f;
  }

  /** True when some record of the batch satisfies `p`. */
  any(p: Predicate): boolean {
    return this.flags(p).indexOf(1) >= 0;
  }

  /** The byte at text offset `h`. */
  byteAt(h: number): number {
    return this.batch.data[this.base + h]!;
  }

  /** Marks the records holding `n` (case-insensitively) where `check` (if given) accepts the hit. */
  markNeedle(n: Needle, out: Uint8Array, check?: HitCheck): void {
    const offs = this.batch.rawOffsets;
    const base = this.base;
    const length = offs[this.batch.count]! - base;
    if (n.text.length === 0) {
      out.fill(1); // the empty phrase is in every record
      return;
    }
    let rec = 0;
    let from = 0;
    for (;;) {
      const h = this.find(n, from);
      if (h < 0) return;
      while (offs[rec + 1]! - base <= h) rec++;
      const rs = offs[rec]! - base;
      const re = offs[rec + 1]! - base;
      if (out[rec] !== 1 && h + n.text.length <= re && (n.ascii || this.bytesEqualFolded(n.bytes, h)) && (check === undefined || check(h, rs, re))) {
        out[rec] = 1;
        from = re; // one hit per record is enough
        if (from >= length) return;
      } else {
        from = h + 1;
      }
    }
  }

  /**
   * Marks the records where global RegExp `re` has a hit that `check` accepts (given the hit's
   * end and the record's text offsets [rs, re)), searching the batch's latin1 text once from
   * start to end: after a hit the search resumes at the next record.
   */
  markMatches(re: RegExp, out: Uint8Array, check: (hitEnd: number, rs: number, re: number) => boolean): void {
    const text = this.text();
    const offs = this.batch.rawOffsets;
    let rec = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const h = m.index;
      while (offs[rec + 1]! - this.base <= h) rec++;
      const end = offs[rec + 1]! - this.base;
      if (out[rec] !== 1 && check(h + m[0].length, offs[rec]! - this.base, end)) out[rec] = 1;
      if (end >= text.length) return;
      re.lastIndex = end;
    }
  }

  /** Marks every record whose text offsets [rs, re) `check` accepts (for patterns with no literal to search). */
  markRecords(out: Uint8Array, check: (rs: number, re: number) => boolean): void {
    const offs = this.batch.rawOffsets;
    for (let i = 0; i < out.length; i++) if (out[i] !== 1 && check(offs[i]! - this.base, offs[i + 1]! - this.base)) out[i] = 1;
  }

  /** Marks the records whose attributes satisfy `match` (evaluated once per distinct map object). */
  markAttrs(match: (attrs: Attrs) => boolean, out: Uint8Array): void {
    const memo = new Map<Attrs, boolean>();
    for (let i = 0; i < out.length; i++) {
      const attrs = this.batch.attrs(i);
      let hit = memo.get(attrs);
      if (hit === undefined) {
        hit = match(attrs);
        memo.set(attrs, hit);
      }
      if (hit) out[i] = 1;
    }
  }

  private text(): string {
    if (this.latin1 === undefined) {
      const { data, rawOffsets, count } = this.batch;
      this.latin1 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1", this.base, rawOffsets[count]!);
    }
    return this.latin1;
  }

  /** Text offset of the next occurrence of `n` at or after `from`, or -1. */
  private find(n: Needle, from: number): number {
    const re = n.pattern;
    if (re === undefined) {
      const at = this.bytes().indexOf(n.bytes, this.base + from);
      return at < 0 ? -1 : at - this.base;
    }
    if (n.anchor !== undefined) return this.findAnchored(n, n.anchor, from);
    re.lastIndex = from;
    const m = re.exec(this.text());
    return m === null ? -1 : m.index;
  }

  /** Like find, through the needle's anchor: native search for it, ASCII-folded check around it. */
  private findAnchored(n: Needle, anchor: Anchor, from: number): number {
    const bytes = this.bytes();
    const length = n.bytes.length;
    for (let at = this.base + from + anchor.offset; ; ) {
      const x = bytes.indexOf(anchor.bytes, at);
      if (x < 0) return -1;
      const h = x - anchor.offset - this.base;
      if (this.base + h + length <= bytes.length && this.bytesEqualFolded(n.bytes, h)) return h;
      at = x + 1;
    }
  }

  /** The data up to the batch's last byte, as a Buffer (its indexOf is the native byte search). */
  private bytes(): Buffer {
    if (this.buffer === undefined) {
      const { data } = this.batch;
      this.buffer = Buffer.from(data.buffer, data.byteOffset, this.batch.rawOffsets[this.batch.count]!);
    }
    return this.buffer;
  }

  private bytesEqualFolded(needle: Uint8Array, h: number): boolean {
    const data = this.batch.data;
    const at = this.base + h;
    for (let i = 0; i < needle.length; i++) if (ASCII_LOWER[data[at + i]!] !== needle[i]) return false;
    return true;
  }
}
