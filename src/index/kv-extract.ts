/**
 * Heuristic key=value extraction from a record's raw bytes (the original heuristic, kept exactly). Feeds the
 * message-KV index builder and the runtime KV predicates. The scanner is allocation-free and
 * reports offsets; keys come back lowercased in a scratch buffer, values keep their case (the
 * index builder lowercases values itself). It must not decide index policy or caps.
 */

import { ASCII_LOWER } from "../core/ascii.ts";
import { asciiText } from "./tokenizer.ts";

/** Longest key or value accepted, in bytes. */
export const KV_MAX_LEN = 64;

const EQ = 0x3d;
const DOT = 0x2e;

/** Bit flags per byte. */
const KEY_CHAR = 1; // [A-Za-z0-9_]
const KEY_START = 2; // [A-Za-z_]
const KEY_BOUNDARY = 4; // may precede a key: whitespace , ; : ( ) [ ] { }
const VALUE_END = 8; // ends a value: whitespace , ; ) ] }
const VALUE_BAD = 16; // rejects a value: > 0x7f or { } [ ] " ' = &
const CLASS = new Uint8Array(256);

for (let c = 0x30; c <= 0x39; c++) CLASS[c] |= KEY_CHAR;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] |= KEY_CHAR | KEY_START;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] |= KEY_CHAR | KEY_START;
CLASS[0x5f] |= KEY_CHAR | KEY_START;
for (const ch of " \t\r\n,;:()[]{}") CLASS[ch.charCodeAt(0)] |= KEY_BOUNDARY;
for (const ch of " \t\r\n,;)]}") CLASS[ch.charCodeAt(0)] |= VALUE_END;
for (const ch of "{}[]\"'=&") CLASS[ch.charCodeAt(0)] |= VALUE_BAD;
for (let c = 0x80; c < 256; c++) CLASS[c] |= VALUE_BAD;

/** A key: 1–64 bytes, `segment ("." segment)*`, `segment = [A-Za-z_][A-Za-z0-9_]*`. */
function validKey(buf: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n < 1 || n > KV_MAX_LEN) return false;
  let segStart = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b === DOT) {
      if (segStart) return false;
      segStart = true;
    } else if (segStart) {
      if ((CLASS[b]! & KEY_START) === 0) return false;
      segStart = false;
    } else if ((CLASS[b]! & KEY_CHAR) === 0) return false;
  }
  return !segStart;
}

/**
 * Reusable scanner over `buf[start, end)`. After `next()` returns true: the lowercased key is
 * `key[0, keyLength)` (raw bytes at `[keyStart, keyEnd)`), the value is `buf[valueStart,
 * valueEnd)` in original case. Every occurrence is reported, duplicates included; consumers
 * that need per-message de-duplication do it themselves (see `extractKv`).
 */
export class KvScanner {
  /** Scratch holding the current key, ASCII-lowercased. */
  readonly key = new Uint8Array(KV_MAX_LEN);
  keyLength = 0;
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  private buf: Uint8Array = this.key;
  private start = 0;
  private pos = 0;
  private end = 0;

  /** Points the scanner at a new input range. */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    this.buf = buf;
    this.start = start;
    this.pos = start;
    this.end = end;
  }

  /** Advances to the next valid pair; false when the range is exhausted. */
  next(): boolean {
    const buf = this.buf;
    const end = this.end;
    const start = this.start;
    while (this.pos < end) {
      const e = buf.indexOf(EQ, this.pos);
      if (e < 0 || e >= end) break;
      this.pos = e + 1;
      if (e === start) continue;
      // Step 1: walk back over key chars and dots (the byte at e-1 is always taken).
      let ks = e - 1;
      const floor = Math.max(start, e - KV_MAX_LEN - 1);
      while (ks > floor) {
        const b = buf[ks - 1]!;
        if ((CLASS[b]! & KEY_CHAR) === 0 && b !== DOT) break;
        ks--;
      }
      if (ks > start && (CLASS[buf[ks - 1]!]! & KEY_BOUNDARY) === 0) continue;
      if (!validKey(buf, ks, e)) continue;
      // Step 3/4: the value runs to the first terminator; a bad value is skipped whole.
      let ve = e + 1;
      let bad = false;
      while (ve < end) {
        const c = CLASS[buf[ve]!]!;
        if (c & VALUE_END) break;
        if (c & VALUE_BAD) bad = true;
        ve++;
      }
      this.pos = ve;
      const vlen = ve - (e + 1);
      if (bad || vlen < 1 || vlen > KV_MAX_LEN) continue;
      for (let i = ks; i < e; i++) this.key[i - ks] = ASCII_LOWER[buf[i]!]!;
      this.keyLength = e - ks;
      this.keyStart = ks;
      this.keyEnd = e;
      this.valueStart = e + 1;
      this.valueEnd = ve;
      return true;
    }
    this.pos = end;
    return false;
  }
}

const encoder = new TextEncoder();
const shared = new KvScanner();

/**
 * All pairs of `text` as `[lowercase key, value]`, de-duplicated on the exact pair in
 * order of first occurrence. Allocates; for tests, runtime filters and the query side.
 */
export function extractKv(text: string | Uint8Array): Array<[string, string]> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  shared.reset(bytes, 0, bytes.length);
  while (shared.next()) {
    const key = asciiText(shared.key, 0, shared.keyLength);
    const value = asciiText(bytes, shared.valueStart, shared.valueEnd);
    const id = `${key}=${value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push([key, value]);
  }
  return out;
}
