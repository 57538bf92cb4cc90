/**
 * A named field of a record, for stats, fields and sort (README "Fields"): the timestamps
 * (`_time` = event time, `write_ts`, `ingest_ts`, `source_ts`, as epoch µs), `_raw` (the text),
 * else the record's attribute (exact name, then ASCII-case-insensitive), else the first
 * key=value pair of the text with that key (index/kv-extract.ts, case-insensitive), else a
 * field of a JSON object body (dotted names reach into nested objects; a body is parsed only
 * when it holds the key as a plain JSON string, so a key written with \u escapes is not
 * found). Attributes win on collisions. Reads one record of a batch; allocates only the value
 * it returns.
 */

import { asciiLower } from "../../../core/ascii.ts";
import { KvScanner } from "../../../index/kv-extract.ts";
import type { RecordBatch } from "../../../storage/types.ts";

export type FieldValue = string | number | undefined;

/** Field names that are record timestamps (values are epoch µs and columns are times). */
export const TIME_FIELDS: ReadonlySet<string> = new Set(["_time", "write_ts", "ingest_ts", "source_ts"]);

const decoder = new TextDecoder();
const scanner = new KvScanner();
const encoder = new TextEncoder();
const OPEN_BRACE = 0x7b;

/** Reads field `name` of records; the lowercased and encoded forms are computed once. */
export class FieldReader {
  private readonly lower: string;
  private readonly keyBytes: Uint8Array;
  private readonly path: string[];
  /** The last path segment as a JSON string literal, looked for before a body is parsed. */
  private readonly quotedLeaf: Uint8Array;

  constructor(readonly name: string) {
    this.lower = asciiLower(name);
    this.keyBytes = encoder.encode(this.lower);
    this.path = name.split(".");
    this.quotedLeaf = encoder.encode(JSON.stringify(this.path[this.path.length - 1]));
  }

  /** True when values are timestamps (µs). */
  get isTime(): boolean {
    return TIME_FIELDS.has(this.name);
  }

  /** The value for record `i` of `batch`, or undefined when the record has no such field. */
  read(batch: RecordBatch, i: number): FieldValue {
    switch (this.name) {
      case "_time":
        return batch.sourceTs[i] !== 0 ? batch.sourceTs[i] : batch.ingestTs[i];
      case "write_ts":
        return batch.writeTs[i];
      case "ingest_ts":
        return batch.ingestTs[i];
      case "source_ts":
        return batch.sourceTs[i] !== 0 ? batch.sourceTs[i] : undefined;
      case "_raw":
        return decoder.decode(batch.data.subarray(batch.rawOffsets[i], batch.rawOffsets[i + 1]));
    }
    return this.fromAttrs(batch, i) ?? this.fromText(batch, i);
  }

  private fromAttrs(batch: RecordBatch, i: number): string | undefined {
    // Sealed blocks decode each distinct map once (records of a block share few maps).
    const attrs = batch.attrs(i);
    const exact = attrs[this.name];
    if (exact !== undefined) return exact;
    for (const k in attrs) if (asciiLower(k) === this.lower) return attrs[k];
    return undefined;
  }

  private fromText(batch: RecordBatch, i: number): string | undefined {
    const data = batch.data;
    const start = batch.rawOffsets[i]!;
    const end = batch.rawOffsets[i + 1]!;
    scanner.reset(data, start, end);
    const key = this.keyBytes;
    while (scanner.next()) {
      if (scanner.keyLength !== key.length) continue;
      let same = true;
      for (let k = 0; k < key.length && same; k++) same = scanner.key[k] === key[k];
      if (same) return decoder.decode(data.subarray(scanner.valueStart, scanner.valueEnd));
    }
    let s = start;
    while (s < end && data[s]! <= 0x20) s++;
    if (data[s] !== OPEN_BRACE) return undefined;
    // Parse only bodies that hold the (last) key in quotes: most records of a mixed store do not.
    return hasBytes(data, s, end, this.quotedLeaf) ? this.fromJson(data.subarray(s, end)) : undefined;
  }

  private fromJson(bytes: Uint8Array): string | undefined {
    let v: unknown;
    try {
      v = JSON.parse(decoder.decode(bytes));
    } catch {
      return undefined;
    }
    for (const p of this.path) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    if (v === undefined || v === null) return undefined;
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
}

/** True when `needle` occurs in hay[from, to) (a byte-wise search anchored on its first byte; no views made). */
function hasBytes(hay: Uint8Array, from: number, to: number, needle: Uint8Array): boolean {
  const first = needle[0]!;
  for (let at = hay.indexOf(first, from); at >= 0 && at + needle.length <= to; at = hay.indexOf(first, at + 1)) {
    let k = 1;
    while (k < needle.length && hay[at + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

/** A value as a number: numbers as they are, numeric text parsed; undefined otherwise. */
export function numeric(v: FieldValue): number | undefined {
  if (typeof v === "number") return v;
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
