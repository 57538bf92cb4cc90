/**
 * Field resolution for comparisons and glob key=value predicates: a record's field `key` is its
 * attribute (keys compared ASCII-case-insensitively) if it has one, else the field of its
 * format (JSON, access log, syslog, logfmt: index/format-fields.ts, in that order), else the
 * first key=value pair of that key in its raw text (index/kv-extract.ts). The pure helpers here read one record
 * (field-resolver.ts reads one key's value fast); the predicate kinds pick candidates with needles first.
 */

import { asciiLower } from "../../../core/ascii.ts";
import type { Attrs } from "../../../core/record.ts";
import { FORMAT_FIELDS, walkFormatFields } from "../../../index/format-fields.ts";
import { KvScanner } from "../../../index/kv-extract.ts";
import { asciiText } from "../../../index/tokenizer.ts";
import type { BatchMatcher } from "../batch-matcher.ts";
import { compileNeedle, type Needle } from "./needle.ts";

const scanner = new KvScanner();

/** The value of attribute `key` (lowercased) in `attrs`, or undefined. */
export function attrValue(attrs: Attrs, key: string): string | undefined {
  for (const k in attrs) if (asciiLower(k) === key) return attrs[k];
  return undefined;
}

/** True when `visit` accepts some attribute (key lowercased, value as stored). */
export function someAttr(attrs: Attrs, visit: (key: string, value: string) => boolean): boolean {
  for (const k in attrs) if (visit(asciiLower(k), attrs[k]!)) return true;
  return false;
}

/**
 * True when `visit` accepts some field of the raw text `data[start, end)` (key lowercased,
 * value in original case), visited in resolution order.
 */
export function someRawField(data: Uint8Array, start: number, end: number, visit: (key: string, value: string) => boolean): boolean {
  if (walkFormatFields(data, start, end, visit)) return true;
  scanner.reset(data, start, end);
  while (scanner.next()) {
    if (visit(asciiText(scanner.key, 0, scanner.keyLength), asciiText(data, scanner.valueStart, scanner.valueEnd))) return true;
  }
  return false;
}

/**
 * Needles that find every record holding field `key` with value `value` (either "" = any) in
 * some format, or undefined when a format cannot say (every record is then checked). The
 * heuristic key=value pairs need their own needle (the caller's).
 */
export function formatNeedles(key: string, value: string): Needle[] | undefined {
  const texts = new Set<string>();
  for (const f of FORMAT_FIELDS) {
    const ns = f.needles(key, value);
    if (ns === undefined) return undefined;
    for (const n of ns) texts.add(asciiLower(n));
  }
  return [...texts].map(compileNeedle);
}

/** Marks the records whose text at [rs, re) `check` accepts among those holding some needle (all records when undefined). */
export function markByNeedles(m: BatchMatcher, needles: readonly Needle[] | undefined, out: Uint8Array, check: (rs: number, re: number) => boolean): void {
  if (needles === undefined) {
    m.markRecords(out, check);
    return;
  }
  for (const n of needles) m.markNeedle(n, out, (_h, rs, re) => check(rs, re));
}
