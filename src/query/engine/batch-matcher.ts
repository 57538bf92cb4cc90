/**
 * Evaluates compiled predicates over a RecordBatch. Each predicate finds candidate records with
 * a byte search when its needle has no letter, or has an anchor (anchor.ts: a run of digits or
 * punctuation, checked with ASCII case folding where it is found), else with a case-insensitive
 * literal RegExp over the batch's raw bytes viewed once as a latin1 string — one pass per
 * predicate per batch, no per-record strings — then verifies token boundaries, exact bytes
 * for non-ASCII needles, and extracted key=value pairs.
 */

import { KvScanner } from "../../index/kv-extract.ts";
import type { Attrs } from "../../core/record.ts";
import type { RecordBatch } from "../../storage/types.ts";
import { TOKEN_MAX_LEN } from "../../index/tokenizer.ts";
import { anchorOf, type Anchor } from "./anchor.ts";
import { attrsMatch, type Predicate } from "./predicate.ts";

/** Latin1 char code -> 1 for token chars [A-Za-z0-9_-]. */
const TOKEN_CHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHAR[c] = TOKEN_CHAR[c - 0x20] = 1;
TOKEN_CHAR[0x5f] = 1;
TOKEN_CHAR[0x2d] = 1;

const kvScanner = new KvScanner();

export class BatchMatcher {
  private latin1: string | undefined;
  private readonly flags = new Map<Predicate, Uint8Array>();
  private readonly base: number;

  constructor(readonly batch: RecordBatch) {
    this.base = batch.rawOffsets[0]!;
  }

  /** True when record i (batch-relative) satisfies `p`. */
  test(p: Predicate, i: number): boolean {
    return this.flagsOf(p)[i] === 1;
  }

  /** True when some record of the batch satisfies `p`. */
  any(p: Predicate): boolean {
    return this.flagsOf(p).indexOf(1) >= 0;
  }

  private flagsOf(p: Predicate): Uint8Array {
    let f = this.flags.get(p);
    if (f === undefined) {
      f = this.compute(p);
      this.flags.set(p, f);
    }
    return f;
  }

  private text(): string {
    if (this.latin1 === undefined) {
      const { data, rawOffsets, count } = this.batch;
      this.latin1 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1", this.base, rawOffsets[count]!);
    }
    return this.latin1;
  }

  /** Offset (batch text coordinates) of the next needle occurrence at or after `from`, or -1. */
  private find(p: Predicate, from: number): number {
    const re = p.pattern;
    if (re === undefined) {
      const at = this.bytes().indexOf(p.needleBytes, this.base + from);
      return at < 0 ? -1 : at - this.base;
    }
    const anchor = anchorOf(p);
    if (anchor !== undefined) return this.findAnchored(p, anchor, from);
    re.lastIndex = from;
    const m = re.exec(this.text());
    return m === null ? -1 : m.index;
  }

  /** Like find, through the needle's anchor: native search for it, ASCII-folded check around it. */
  private findAnchored(p: Predicate, anchor: Anchor, from: number): number {
    const bytes = this.bytes();
    const length = p.needleBytes.length;
    for (let at = this.base + from + anchor.offset; ; ) {
      const x = bytes.indexOf(anchor.bytes, at);
      if (x < 0) return -1;
      const h = x - anchor.offset - this.base;
      if (this.base + h + length <= bytes.length && this.bytesEqualFolded(p.needleBytes, h)) return h;
      at = x + 1;
    }
  }

  /** The data up to the batch's last byte, as a Buffer (its indexOf is the native byte search). */
  private bytes(): Buffer {
    const { data } = this.batch;
    return Buffer.from(data.buffer, data.byteOffset, this.batch.rawOffsets[this.batch.count]!);
  }

  private compute(p: Predicate): Uint8Array {
    const { count } = this.batch;
    const out = new Uint8Array(count);
    if (p.kind === "kv" || p.kind === "key_exists" || p.kind === "value_exists") this.markAttrs(p, out);
    this.markText(p, out);
    return out;
  }

  private markAttrs(p: Predicate, out: Uint8Array): void {
    const memo = new Map<Attrs, boolean>();
    for (let i = 0; i < out.length; i++) {
      const attrs = this.batch.attrs(i);
      let hit = memo.get(attrs);
      if (hit === undefined) {
        hit = attrsMatch(p, attrs);
        memo.set(attrs, hit);
      }
      if (hit) out[i] = 1;
    }
  }

  /** Finds needle occurrences, maps each to its record and verifies it there. */
  private markText(p: Predicate, out: Uint8Array): void {
    const offs = this.batch.rawOffsets;
    const length = offs[this.batch.count]! - this.base;
    const base = this.base;
    const needle = p.needle;
    if (needle.length === 0) {
      out.fill(1); // the empty phrase is in every record
      return;
    }
    let rec = 0;
    let from = 0;
    for (;;) {
      const h = this.find(p, from);
      if (h < 0) return;
      while (offs[rec + 1]! - base <= h) rec++;
      const rs = offs[rec]! - base;
      const re = offs[rec + 1]! - base;
      if (out[rec] !== 1 && h + needle.length <= re && this.verify(p, h, rs, re)) {
        out[rec] = 1;
        from = re; // one hit per record is enough
        if (from >= length) return;
      } else {
        from = h + 1;
      }
    }
  }

  /** Checks a hit at batch offset h inside record [rs, re) (offsets relative to base). */
  private verify(p: Predicate, h: number, rs: number, re: number): boolean {
    if (!p.needleAscii && !this.bytesEqualFolded(p.needleBytes, h)) return false;
    switch (p.kind) {
      case "substring":
        return true;
      case "token": {
        const data = this.batch.data;
        if (h > rs && TOKEN_CHAR[data[this.base + h - 1]!] === 1) return false;
        const after = h + p.needle.length;
        return p.needle.length >= TOKEN_MAX_LEN || after >= re || TOKEN_CHAR[data[this.base + after]!] !== 1;
      }
      default:
        return this.messagePairMatches(p, rs, re);
    }
  }

  private bytesEqualFolded(needle: Uint8Array, h: number): boolean {
    const data = this.batch.data;
    const at = this.base + h;
    for (let i = 0; i < needle.length; i++) {
      let b = data[at + i]!;
      if (b >= 0x41 && b <= 0x5a) b += 0x20;
      if (b !== needle[i]) return false;
    }
    return true;
  }

  /** Runs A4.1 extraction on the record and compares lowercased key and/or value. */
  private messagePairMatches(p: Predicate, rs: number, re: number): boolean {
    const data = this.batch.data;
    kvScanner.reset(data, this.base + rs, this.base + re);
    while (kvScanner.next()) {
      if (p.kind !== "value_exists" && !sameAscii(kvScanner.key, 0, kvScanner.keyLength, p.key)) continue;
      if (p.kind === "key_exists") return true;
      if (sameAsciiFolded(data, kvScanner.valueStart, kvScanner.valueEnd, p.value)) return true;
    }
    return false;
  }
}

function sameAscii(b: Uint8Array, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

function sameAsciiFolded(b: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = b[start + i]!;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
