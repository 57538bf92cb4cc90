/**
 * The JSON format index's pairs at seal without strings: a byte-level reader of the strict JSON
 * subset logs mostly hold (ASCII strings without escapes; integers and plain decimals that
 * JavaScript prints as written; true, false, null; no repeated key in an object), writing
 * each field as lowercased bytes straight into the pair sink. The JSON walker (json-fields.ts)
 * stays the definition: a record outside the subset is handed back to it ("walker"), so the
 * index holds exactly what the walker reports. A record with no `{` opening an object, or
 * whose text from its first `{` to its last `}` breaks JSON's grammar, has no JSON fields.
 */

import { ASCII_LOWER } from "../core/ascii.ts";
import { copyBytes } from "../core/bytes/copy.ts";
import { JSON_MAX_DEPTH, JSON_MAX_FIELDS } from "./json-fields.ts";
import { KV_MAX_LEN } from "./kv-extract.ts";
import { sinkPair, type PairSink } from "./msgkv-builder.ts";

/** "none": no JSON fields; "done": pairs reported; "walker": run the JSON walker instead. */
export type JsonPairsResult = "none" | "done" | "walker";

const NO_BYTES = new Uint8Array(0);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Thrown inside the reader: the text is not JSON (NOT_JSON) or outside the subset (UNSUPPORTED). */
const NOT_JSON = 1;
const UNSUPPORTED = 2;

/** Reads one record; reused across records (one per builder). */
export class JsonPairReader {
  /** The record's buffer while it is read (released after, not to keep a chunk alive). */
  private data: Uint8Array = NO_BYTES;
  private pos = 0;
  private limit = 0;
  /** The current path, lowercased: `user.id`, `tags[]`. */
  private readonly path = new Uint8Array(KV_MAX_LEN);
  /** Leaves found: key bytes at i * KV_MAX_LEN, length, and the value's raw range. */
  private readonly leafKeys = new Uint8Array(JSON_MAX_FIELDS * KV_MAX_LEN);
  private readonly leafKeyLength = new Uint8Array(JSON_MAX_FIELDS);
  private readonly leafStart = new Uint32Array(JSON_MAX_FIELDS);
  private readonly leafEnd = new Uint32Array(JSON_MAX_FIELDS);
  private leaves = 0;
  /** Key ranges of the objects being read (to see a repeated key); more keys: the walker reads it. */
  private readonly keyStart = new Uint32Array(2 * JSON_MAX_FIELDS);
  private readonly keyLength = new Uint32Array(2 * JSON_MAX_FIELDS);
  private keys = 0;

  /** Reports the JSON fields of `data[start, end)` to `sink`, or says the walker must. */
  pairs(data: Uint8Array, start: number, end: number, sink: PairSink): JsonPairsResult {
    const result = this.read(data, start, end, sink);
    this.data = NO_BYTES;
    return result;
  }

  private read(data: Uint8Array, start: number, end: number, sink: PairSink): JsonPairsResult {
    let open = start;
    while (open < end && data[open] !== 0x7b) open++;
    let close = end - 1;
    while (close > open && data[close] !== 0x7d) close--;
    if (close <= open) return "none";
    this.data = data;
    this.pos = open;
    this.limit = close + 1;
    this.leaves = 0;
    this.keys = 0;
    const failure = this.readTop();
    if (failure === NOT_JSON) return "none";
    if (failure === UNSUPPORTED) return "walker";
    this.report(sink);
    return "done";
  }

  /** 0 when the whole range is one object in the subset. */
  private readTop(): number {
    try {
      this.readObject(0, 0);
      return this.pos === this.limit ? 0 : NOT_JSON;
    } catch (e) {
      if (e === NOT_JSON || e === UNSUPPORTED) return e;
      throw e;
    }
  }

  private report(sink: PairSink): void {
    for (let i = 0; i < this.leaves; i++) {
      const kl = this.leafKeyLength[i]!;
      copyBytes(sink.scratch, 0, this.leafKeys, i * KV_MAX_LEN, i * KV_MAX_LEN + kl);
      if (!sinkPair(sink, kl, this.data, this.leafStart[i]!, this.leafEnd[i]!)) return;
    }
  }

  private skipSpace(): number {
    const data = this.data;
    while (this.pos < this.limit) {
      const b = data[this.pos]!;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
      this.pos++;
    }
    throw NOT_JSON;
  }

  /** Reads `{...}` at pos whose path is path[0, pathLength), at walker depth `depth`. */
  private readObject(pathLength: number, depth: number): void {
    this.pos++;
    const firstKey = this.keys;
    if (this.skipSpace() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.skipSpace() !== QUOTE) throw NOT_JSON;
      const ks = this.pos + 1;
      this.readString();
      const kl = this.pos - 1 - ks;
      if (kl === 0) throw UNSUPPORTED;
      this.checkNewKey(firstKey, ks, kl);
      const childLength = this.appendKey(pathLength, ks, kl);
      if (this.skipSpace() !== 0x3a) throw NOT_JSON;
      this.pos++;
      this.readValue(childLength, depth + 1);
      const b = this.skipSpace();
      this.pos++;
      if (b === 0x7d) break;
      if (b !== 0x2c) throw NOT_JSON;
    }
    this.keys = firstKey;
  }

  /** Reads `[...]` at pos; its elements have the path `<path>[]`. */
  private readArray(pathLength: number, depth: number): void {
    this.pos++;
    let elementPath = pathLength;
    const p = this.path;
    if (!(pathLength >= 2 && p[pathLength - 2] === 0x5b && p[pathLength - 1] === 0x5d)) {
      if (pathLength + 2 > KV_MAX_LEN) throw UNSUPPORTED;
      p[pathLength] = 0x5b;
      p[pathLength + 1] = 0x5d;
      elementPath = pathLength + 2;
    }
    if (this.skipSpace() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.readValue(elementPath, depth + 1);
      const b = this.skipSpace();
      this.pos++;
      if (b === 0x5d) return;
      if (b !== 0x2c) throw NOT_JSON;
    }
  }

  private readValue(pathLength: number, depth: number): void {
    if (depth > JSON_MAX_DEPTH) throw UNSUPPORTED;
    const b = this.skipSpace();
    if (b === 0x7b) return this.readObject(pathLength, depth);
    if (b === 0x5b) return this.readArray(pathLength, depth);
    let from = this.pos;
    let to: number;
    if (b === QUOTE) {
      this.readString();
      from++;
      to = this.pos - 1;
    } else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
      this.readNumber();
      to = this.pos;
    } else if (b === 0x74 || b === 0x66 || b === 0x6e) {
      this.readLiteral(b === 0x74 ? "true" : b === 0x66 ? "false" : "null");
      to = this.pos;
    } else {
      throw NOT_JSON;
    }
    if (this.leaves >= JSON_MAX_FIELDS) throw UNSUPPORTED;
    const i = this.leaves++;
    copyBytes(this.leafKeys, i * KV_MAX_LEN, this.path, 0, pathLength);
    this.leafKeyLength[i] = pathLength;
    this.leafStart[i] = from;
    this.leafEnd[i] = to;
  }

  /** Past the string opening at pos (ASCII without escapes; else UNSUPPORTED). */
  private readString(): void {
    const data = this.data;
    for (let i = this.pos + 1; i < this.limit; i++) {
      const c = data[i]!;
      if (c === QUOTE) {
        this.pos = i + 1;
        return;
      }
      if (c < 0x20) throw NOT_JSON;
      if (c >= 0x80 || c === BACKSLASH) throw UNSUPPORTED;
    }
    throw NOT_JSON;
  }

  /**
   * Past the number at pos when JavaScript prints it as written: `0`, or no leading zero, at
   * most 15 digits, a fraction not ending in 0 and, below 1, fewer than 6 zeros after the point.
   */
  private readNumber(): void {
    const data = this.data;
    let i = this.pos;
    if (data[i] === 0x2d) i++;
    const intStart = i;
    while (i < this.limit && data[i]! >= 0x30 && data[i]! <= 0x39) i++;
    const intDigits = i - intStart;
    if (intDigits === 0 || (intDigits > 1 && data[intStart] === 0x30)) throw UNSUPPORTED;
    let digits = intDigits;
    if (i < this.limit && data[i] === 0x2e) {
      const fracStart = ++i;
      while (i < this.limit && data[i]! >= 0x30 && data[i]! <= 0x39) i++;
      if (i === fracStart || data[i - 1] === 0x30) throw UNSUPPORTED;
      if (data[intStart] === 0x30) {
        let zeros = 0;
        while (data[fracStart + zeros] === 0x30) zeros++;
        if (zeros >= 6) throw UNSUPPORTED;
        digits = i - fracStart - zeros;
      } else {
        digits += i - fracStart;
      }
    } else if (intDigits === 1 && data[intStart] === 0x30 && intStart > this.pos) {
      throw UNSUPPORTED; // -0 prints as 0
    }
    if (digits > 15 || (i < this.limit && (data[i] === 0x65 || data[i] === 0x45))) throw UNSUPPORTED;
    this.pos = i;
  }

  private readLiteral(word: string): void {
    for (let k = 0; k < word.length; k++) if (this.data[this.pos + k] !== word.charCodeAt(k) || this.pos + k >= this.limit) throw NOT_JSON;
    this.pos += word.length;
  }

  /** UNSUPPORTED when the object opened at key index `firstKey` already has this key. */
  private checkNewKey(firstKey: number, ks: number, kl: number): void {
    const data = this.data;
    for (let k = firstKey; k < this.keys; k++) {
      if (this.keyLength[k] !== kl) continue;
      const o = this.keyStart[k]!;
      let same = true;
      for (let j = 0; j < kl && same; j++) same = data[o + j] === data[ks + j];
      if (same) throw UNSUPPORTED;
    }
    if (this.keys === this.keyStart.length) throw UNSUPPORTED;
    this.keyStart[this.keys] = ks;
    this.keyLength[this.keys++] = kl;
  }

  /** Writes `<path>.<key>` (or `<key>` at the top), lowercased; its length. */
  private appendKey(pathLength: number, ks: number, kl: number): number {
    const at = pathLength === 0 ? 0 : pathLength + 1;
    if (at + kl > KV_MAX_LEN) throw UNSUPPORTED;
    const p = this.path;
    if (pathLength > 0) p[pathLength] = 0x2e;
    for (let j = 0; j < kl; j++) p[at + j] = ASCII_LOWER[this.data[ks + j]!]!;
    return at + kl;
  }
}
