/**
 * What the query engine reads from a sealed chunk's indexes: probes (one kind per indexable
 * predicate family) answered by every registered index type that serves that kind, and the
 * term-index lookup shapes the index types share. Terms are lowercased (ASCII) on both build
 * and lookup; positions are ascending record indexes within the chunk. Whatever may read
 * storage is awaited (sections come through a ChunkView, possibly a remote tier's).
 */

import type { IndexStatus, MaybePromise } from "../storage/types.ts";

/** Joins a key and a value into one pair term (a byte that never occurs in either). */
export const PAIR_SEPARATOR = "\u0000";

/** One term of a dictionary with its position count; positions decode on demand. */
export interface TermEntry {
  readonly term: string;
  /** Records holding the term (from the dictionary, without decoding the list). */
  readonly count: number;
  positions(): MaybePromise<Uint32Array>;
}

export interface TermIndex {
  /** Positions of records holding `term` (lowercased by the caller), or undefined when absent. */
  get(term: string): MaybePromise<Uint32Array | undefined>;
  /**
   * Terms starting with `prefix`, ascending by bytes: a range scan of the sorted dictionary
   * (reads only the blocks the range covers). "" lists every term.
   */
  prefix(prefix: string): Iterable<TermEntry> | AsyncIterable<TermEntry>;
  /** Number of distinct terms. */
  readonly termCount: number;
  /** Bytes stored for this index (reports). */
  readonly bytes: number;
}

/** What the planner asks the indexes of a chunk; keys and values lowercased by the caller. */
export type IndexProbe =
  | { readonly kind: "token"; readonly token: string }
  /** Records holding a token that starts with `prefix` (a range scan of the sorted terms). */
  | { readonly kind: "token_prefix"; readonly prefix: string }
  | { readonly kind: "kv"; readonly key: string; readonly value: string }
  | { readonly kind: "key_exists"; readonly key: string }
  | { readonly kind: "value_exists"; readonly value: string }
  /**
   * Records where key `key` has a value `accept` takes (a range scan of the key's pairs); only
   * those among `within` when given (each value's positions are cut to it before the union).
   */
  | { readonly kind: "key_values"; readonly key: string; readonly accept: (value: string) => boolean; readonly within?: Uint32Array };

export type ProbeKind = IndexProbe["kind"];

/** Why an index cannot answer a probe exactly (the records then need a runtime check). */
export type ProbeMiss = "index_missing" | "budget_exhausted" | "value_not_indexed";

/**
 * An answer to a probe: the positions that may hold it (exact for what the index covers, unless
 * `narrowed`: then candidates a scan still checks), or why it must be checked at runtime. `detail` is the explain note (e.g. "token=12"; "" says nothing).
 */
export type ProbeAnswer =
  | { readonly kind: "positions"; readonly positions: Uint32Array; readonly detail: string; readonly narrowed?: boolean }
  | { readonly kind: "runtime"; readonly reason: ProbeMiss; readonly detail: string };

/** One value of a field in a chunk and the records holding it (ascending positions). */
export interface FieldValuePositions {
  readonly value: string;
  positions(): MaybePromise<Uint32Array>;
}

/**
 * Field `key`'s values in one index that holds fields: `values` as stored (ASCII-lowercased),
 * each with every record where the field has it; `spellings` the values as written where that
 * is not the stored form, each with the records whose first occurrence of that value was so
 * written (a subset of its stored value's records). A record may have several values.
 */
export interface FieldValueSource {
  readonly values: readonly FieldValuePositions[];
  readonly spellings: readonly FieldValuePositions[];
}

/** A sealed chunk's indexes for one query (cheap to make: decoded parts are cached). */
export interface ChunkIndexes {
  readonly status: IndexStatus;
  /**
   * The union of the answers of every index type serving `probe.kind`; "runtime" when any of
   * them is absent, lossy for this probe, or none serves it. Throws LogError("corrupt") when a
   * section cannot be read (callers scan instead).
   */
  probe(probe: IndexProbe): Promise<ProbeAnswer>;
  /**
   * Field `key`'s (lowercased) values in every index holding fields, in field resolution order
   * (attributes, the format fields in FORMAT_FIELDS order, message key=value pairs), or
   * undefined when one cannot list them exactly (absent, capped, lossy, the key overflowed or
   * unspelled, a segment older than spellings, or the attributes hold the key: callers scan).
   */
  fieldValues(key: string): Promise<FieldValueSource[] | undefined>;
  /** Bytes and reads this object took from storage so far (explain analyze). */
  readonly read: { readonly bytes: number; readonly reads: number };
}
