/**
 * Evaluates compiled predicates over a RecordBatch. The batch's raw bytes are decoded once to
 * a latin1 string and ASCII-lowercased natively, then each predicate finds its candidate
 * records with `indexOf` (one pass per predicate per batch, no per-record strings) and verifies
 * token boundaries, exact bytes for non-ASCII needles, and extracted key=value pairs.
 */

import { KvScanner } from "../../index/kv-extract.ts";
import type { Attrs } from "../../core/record.ts";
import type { RecordBatch } from "../../storage/types.ts";
import { TOKEN_MAX_LEN } from "../../index/tokenizer.ts";
import { attrsMatch, type Predicate } from "./predicate.ts";

/** Lowercased-latin1 char code -> 1 for token chars [a-z0-9_-]. */
const TOKEN_CHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHAR[c] = 1;
TOKEN_CHAR[0x5f] = 1;
TOKEN_CHAR[0x2d] = 1;

const kvScanner = new KvScanner();

export class BatchMatcher {
  private lowered: string | undefined;
  private readonly flags = new Map<Predicate, Uint8Array>();
  private readonly base: number;

  constructor(readonly batch: RecordBatch) {
    this.base = batch.rawOffsets[0]!;
  }

  /** True when record i (batch-relative) satisfies `p`. */
  test(p: Predicate, i: number): boolean {
    let f = this.flags.get(p);
    if (f === undefined) {
      f = this.compute(p);
      this.flags.set(p, f);
    }
    return f[i] === 1;
  }

  private text(): string {
    if (this.lowered === undefined) {
      const { data, rawOffsets, count } = this.batch;
      this.lowered = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
        .toString("latin1", this.base, rawOffsets[count]!)
        .toLowerCase();
    }
    return this.lowered;
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
    const text = this.text();
    const offs = this.batch.rawOffsets;
    const base = this.base;
    const needle = p.needle;
    if (needle.length === 0) {
      out.fill(1); // the empty phrase is in every record
      return;
    }
    let rec = 0;
    let from = 0;
    for (;;) {
      const h = text.indexOf(needle, from);
      if (h < 0) return;
      while (offs[rec + 1]! - base <= h) rec++;
      const rs = offs[rec]! - base;
      const re = offs[rec + 1]! - base;
      if (out[rec] !== 1 && h + needle.length <= re && this.verify(p, text, h, rs, re)) {
        out[rec] = 1;
        from = re; // one hit per record is enough
        if (from >= text.length) return;
      } else {
        from = h + 1;
      }
    }
  }

  private verify(p: Predicate, text: string, h: number, rs: number, re: number): boolean {
    if (!p.needleAscii && !this.bytesEqualFolded(p.needleBytes, h)) return false;
    switch (p.kind) {
      case "substring":
        return true;
      case "token": {
        if (h > rs && TOKEN_CHAR[text.charCodeAt(h - 1)] === 1) return false;
        const after = h + p.needle.length;
        return p.needle.length >= TOKEN_MAX_LEN || after >= re || TOKEN_CHAR[text.charCodeAt(after)] !== 1;
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
