/**
 * A named field of a record, for stats, fields and sort (docs/query-language.md "Pipelines"):
 * the timestamps (`_time` = event time, `write_ts`, `ingest_ts`, `source_ts`, as epoch µs),
 * `_raw` (the text), else the field as comparisons and globs resolve it (predicates/fields.ts:
 * the attribute — exact name first here —, then the record's format fields — JSON with dotted
 * nested names, access log, syslog, logfmt —, then the first key=value pair of the text), so
 * `| stats count() by f` groups by exactly what `f=value` and `f>value` match.
 */

import { attrValue } from "../predicates/fields.ts";
import { FieldResolver } from "../predicates/field-resolver.ts";
import { asciiLower } from "../../../core/ascii.ts";
import type { RecordBatch } from "../../../storage/types.ts";

export type FieldValue = string | number | undefined;

/** Field names that are record timestamps (values are epoch µs and columns are times). */
export const TIME_FIELDS: ReadonlySet<string> = new Set(["_time", "write_ts", "ingest_ts", "source_ts"]);

const decoder = new TextDecoder();

/** Reads field `name` of records; the lowercased name is computed once. */
export class FieldReader {
  private readonly lower: string;
  private readonly resolver: FieldResolver;

  constructor(readonly name: string) {
    this.lower = asciiLower(name);
    this.resolver = new FieldResolver(this.lower);
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
    // Sealed blocks decode each distinct attribute map once (records of a block share few).
    const attrs = batch.attrs(i);
    return attrs[this.name] ?? attrValue(attrs, this.lower) ?? this.resolver.valueAt(batch, i);
  }
}

/** A value as a number: numbers as they are, numeric text parsed; undefined otherwise. */
export function numeric(v: FieldValue): number | undefined {
  if (typeof v === "number") return v;
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
