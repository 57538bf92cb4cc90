/**
 * Evaluates compiled predicates over a RecordBatch. The batch's raw bytes are viewed once as a
 * latin1 string; each predicate finds candidate records with a case-insensitive literal RegExp
 * (or a byte search when its needle has no letter) — one pass per predicate per batch, no
 * per-record strings — then verifies token boundaries, exact bytes for non-ASCII needles, and
 * extracted key=value pairs.
 */

import { ASCII_LOWER } from "../../core/ascii.ts";
import { KvScanner } from "../../index/kv-extract.ts";
import type { Attrs } from "../../core/record.ts";
import type { RecordBatch } from "../../storage/types.ts";
import { TOKEN_MAX_LEN } from "../../index/tokenizer.ts";
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
  private readonly memo = new Map<Predicate, Uint8Array>();
  private readonly base: number;

  constructor(readonly batch: RecordBatch) {
    this.base = batch.rawOffsets[0]!;
  }

  /** True when record i (batch-relative) satisfies `p`. */
  test(p: Predicate, i: number): boolean {
    return this.flags(p)[i] === 1;
  }

  /** Per record of the batch, 1 when it satisfies `p` (computed in one pass, then kept). */
  flags(p: Predicate): Uint8Array {
    let f = this.memo.get(p);
    if (f === undefined) {
      f = this.compute(p);
      this.memo.set(p, f);
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
      const { data } = this.batch;
      const end = this.batch.rawOffsets[this.batch.count]!;
      const at = Buffer.from(data.buffer, data.byteOffset, end).indexOf(p.needleBytes, this.base + from);
      return at < 0 ? -1 : at - this.base;
    }
    re.lastIndex = from;
    const m = re.exec(this.text());
    return m === null ? -1 : m.index;
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
    for (let i = 0; i < needle.length; i++) if (ASCII_LOWER[data[at + i]!] !== needle[i]) return false;
    return true;
  }

  /** Runs key=value extraction (index/kv-extract.ts) on the record and compares lowercased key and/or value. */
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
  for (let i = 0; i < lower.length; i++) if (ASCII_LOWER[b[start + i]!] !== lower.charCodeAt(i)) return false;
  return true;
}
