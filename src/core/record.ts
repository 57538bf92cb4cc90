/**
 * The record: one log entry. `raw` is stored verbatim (any bytes); attributes are a
 * string->string map from the receiver; three timestamps in epoch microseconds.
 * Pure data definitions only.
 */

/** Attribute map. Keys and values are UTF-8 strings; order is not significant. */
export type Attrs = Readonly<Record<string, string>>;

/** A record as handed to a store. The store assigns writeTs. */
export interface RecordInput {
  /** The log payload, verbatim. May be empty, may hold NUL or invalid UTF-8. */
  readonly raw: Uint8Array;
  readonly attrs: Attrs;
  /** When the event happened according to the log itself; 0 = unknown. */
  readonly sourceTs: number;
  /** When a receiver (or importer) took the record in. */
  readonly ingestTs: number;
}

/** A stored record. */
export interface LogRecord extends RecordInput {
  /** Set by the store at append; non-decreasing within a chunk. */
  readonly writeTs: number;
}

/** Where a record lives: chunk ID and 0-based record index within that chunk. */
export interface RecordRef {
  readonly chunk: string;
  readonly pos: number;
}

/** Event time used by queries: sourceTs when known, else ingestTs. */
export function eventTime(r: { sourceTs: number; ingestTs: number }): number {
  return r.sourceTs !== 0 ? r.sourceTs : r.ingestTs;
}
