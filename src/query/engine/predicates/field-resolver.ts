/**
 * One field key resolved against raw texts, fast: the value resolution order gives
 * (fields.ts: the first field `key` of the record's formats in resolution order, then its first key=value
 * pair), but compiled once per key so each record pays only for the formats that can hold the
 * key: a format whose needles say it never holds it is skipped, a JSON, access log or logfmt
 * record is parsed only when it holds one of the format's needles for the key (its name,
 * `key=`; searched once per batch over the whole batch when a batch is read), a top-level JSON
 * key is read off the parsed object without walking it, and the key=value pairs are compared
 * as bytes with no string per pair. Pure; one resolver serves every record of a query.
 */

import { ASCII_LOWER, asciiLowerBytes } from "../../../core/ascii.ts";
import { clfFormat } from "../../../index/clf-fields.ts";
import type { FormatFields } from "../../../index/field-walk.ts";
import { FORMAT_FIELDS } from "../../../index/format-fields.ts";
import { JSON_MAX_FIELDS, jsonFormat, parseJsonBody } from "../../../index/json-fields.ts";
import { KvScanner } from "../../../index/kv-extract.ts";
import { logfmtFormat } from "../../../index/logfmt-fields.ts";
import { asciiText } from "../../../index/tokenizer.ts";
import type { RecordBatch } from "../../../storage/types.ts";
import { BatchMatcher } from "../batch-matcher.ts";
import { compileNeedle, type Needle } from "./needle.ts";

const scanner = new KvScanner();
/** Formats whose parse costs more than searching their needles first (the others sniff their first bytes). */
const GATED: ReadonlySet<FormatFields> = new Set([jsonFormat, clfFormat, logfmtFormat]);

/** A format that may hold the key, and the literals a record must hold before it is parsed (undefined: parse every record). */
interface Candidate {
  format: FormatFields;
  /** ASCII-lowercased bytes, searched in one record. */
  bytes: Uint8Array[] | undefined;
  /** The same literals, searched over a whole batch. */
  needles: Needle[] | undefined;
}

export class FieldResolver {
  private readonly formats: Candidate[] = [];
  private readonly keyBytes: Uint8Array;
  /** A key JSON spells as one top-level name (no path): read off the parsed object directly. */
  private readonly topLevel: boolean;
  private found: string | undefined;
  private readonly keep = (v: string): boolean => {
    this.found = v;
    return true;
  };
  /** The batch whose gates are computed, and per candidate format 1 for each record holding a needle. */
  private gateBatch: RecordBatch | undefined;
  private gates: (Uint8Array | undefined)[] = [];

  /** `key` ASCII-lowercased. */
  constructor(readonly key: string) {
    this.keyBytes = asciiLowerBytes(key);
    this.topLevel = !/[.[]/.test(key);
    for (const format of FORMAT_FIELDS) {
      const literals = format.needles(key, "");
      if (literals !== undefined && literals.length === 0) continue; // the format never holds this key
      const gated = GATED.has(format) && literals !== undefined;
      this.formats.push({ format, bytes: gated ? literals.map(asciiLowerBytes) : undefined, needles: gated ? literals.map(compileNeedle) : undefined });
    }
  }

  /** The first value of the key in the raw text `data[start, end)`, or undefined. */
  value(data: Uint8Array, start: number, end: number): string | undefined {
    this.found = undefined;
    return this.some(data, start, end, this.keep) ? this.found : this.pairValue(data, start, end);
  }

  /** True when `accept` takes some value of the key among the format fields of `data[start, end)` (key=value pairs are the caller's). */
  some(data: Uint8Array, start: number, end: number, accept: (value: string) => boolean): boolean {
    const text = Buffer.from(data.buffer, data.byteOffset + start, end - start);
    for (const c of this.formats) {
      if (c.bytes !== undefined && !holdsAny(text, c.bytes)) continue;
      if (this.someIn(c.format, data, start, end, accept)) return true;
    }
    return false;
  }

  /** The value of record `i` of `batch` (its text only; attributes are the caller's), searching needles once per batch. */
  valueAt(batch: RecordBatch, i: number): string | undefined {
    if (batch !== this.gateBatch) this.computeGates(batch);
    const start = batch.rawOffsets[i]!;
    const end = batch.rawOffsets[i + 1]!;
    for (let f = 0; f < this.formats.length; f++) {
      const gate = this.gates[f];
      if (gate !== undefined && gate[i] !== 1) continue;
      const v = this.formatValue(this.formats[f]!.format, batch.data, start, end);
      if (v !== undefined) return v;
    }
    return this.pairValue(batch.data, start, end);
  }

  private computeGates(batch: RecordBatch): void {
    const m = new BatchMatcher(batch);
    this.gates = this.formats.map((c) => {
      if (c.needles === undefined) return undefined;
      const flags = new Uint8Array(batch.count);
      for (const n of c.needles) m.markNeedle(n, flags);
      return flags;
    });
    this.gateBatch = batch;
  }

  private formatValue(format: FormatFields, data: Uint8Array, start: number, end: number): string | undefined {
    this.found = undefined;
    return this.someIn(format, data, start, end, this.keep) ? this.found : undefined;
  }

  /** True when `accept` takes a value of the key in `format`, in the order the format's walk visits them. */
  private someIn(format: FormatFields, data: Uint8Array, start: number, end: number, accept: (value: string) => boolean): boolean {
    if (format === jsonFormat && this.topLevel && end - start < 2 * JSON_MAX_FIELDS) return this.someTopLevelJson(data, start, end, accept);
    return format.walk(data, start, end, (k, v) => k === this.key && accept(v)).stopped;
  }

  /**
   * The JSON fields of a top-level key, read off the parsed object: the top-level names that
   * lowercase to the key and hold no object or array, in the walk's order. A leaf takes at
   * least 2 bytes (`0,`), so a record this short visits fewer than JSON_MAX_FIELDS.
   */
  private someTopLevelJson(data: Uint8Array, start: number, end: number, accept: (value: string) => boolean): boolean {
    const body = parseJsonBody(data, start, end);
    if (body === undefined) return false;
    for (const k of Object.keys(body)) {
      if (!sameFolded(k, this.key)) continue;
      const v = body[k];
      if (v === null ? accept("null") : typeof v !== "object" && accept(String(v))) return true;
    }
    return false;
  }

  /** The value of the first heuristic key=value pair of the key. */
  private pairValue(data: Uint8Array, start: number, end: number): string | undefined {
    const key = this.keyBytes;
    scanner.reset(data, start, end);
    next: while (scanner.next()) {
      if (scanner.keyLength !== key.length) continue;
      for (let i = 0; i < key.length; i++) if (scanner.key[i] !== key[i]) continue next;
      return asciiText(data, scanner.valueStart, scanner.valueEnd);
    }
    return undefined;
  }
}

/** `k` ASCII-lowercased equals `key`. */
function sameFolded(k: string, key: string): boolean {
  if (k.length !== key.length) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if ((c < 0x80 ? ASCII_LOWER[c]! : c) !== key.charCodeAt(i)) return false;
  }
  return true;
}

/** `text` holds one of `needles` (ASCII-lowercased bytes), ASCII-case-insensitively (native search first). */
function holdsAny(text: Buffer, needles: readonly Uint8Array[]): boolean {
  for (const n of needles) if (text.indexOf(n) >= 0) return true;
  for (const n of needles) if (holdsFolded(text, n)) return true;
  return false;
}

function holdsFolded(text: Buffer, n: Uint8Array): boolean {
  const first = n[0]!;
  outer: for (let i = 0; i + n.length <= text.length; i++) {
    if (ASCII_LOWER[text[i]!] !== first) continue;
    for (let j = 1; j < n.length; j++) if (ASCII_LOWER[text[i + j]!] !== n[j]) continue outer;
    return true;
  }
  return false;
}
