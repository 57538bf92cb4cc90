/**
 * What the query engine reads from a sealed chunk's index sections. Terms are lowercased
 * (ASCII) on both build and lookup; positions are ascending record indexes within the chunk.
 * Attribute pairs and message pairs are keyed as `key + PAIR_SEPARATOR + value`.
 */

import type { IndexStatus } from "../storage/types.ts";

/** Joins a key and a value into one pair term (a byte that never occurs in either). */
export const PAIR_SEPARATOR = "\u0000";

export interface TermIndex {
  /** Positions of records holding `term` (lowercased by the caller), or undefined when absent. */
  get(term: string): Uint32Array | undefined;
  /** Number of distinct terms. */
  readonly termCount: number;
  /** Section bytes (for reports). */
  readonly bytes: number;
}

/** The message key=value index (capped, budgeted): usable for exact answers only when lossless. */
export interface MessageKvIndex {
  /** False when the budget or a hard cap dropped anything: lookups then prove nothing. */
  readonly lossless: boolean;
  /** Why it is lossy: "capped" (hard cap hit, empty) or "budget" (entries dropped). */
  readonly lossReason: "" | "capped" | "budget";
  readonly keys: TermIndex;
  readonly values: TermIndex;
  readonly pairs: TermIndex;
  /**
   * True when `key` had more distinct values than the per-key cap: its pairs are not indexed,
   * so `key=value` must be checked by scanning (its key postings are still exact).
   */
  valuesOverflowed(key: string): boolean;
  /** False when any key overflowed: the values index then misses values. */
  readonly valuesComplete: boolean;
}

export interface ChunkIndexes {
  readonly status: IndexStatus;
  /** undefined when the section is missing or failed to decode: callers fall back to scanning. */
  readonly tokens?: TermIndex;
  readonly attrKeys?: TermIndex;
  readonly attrValues?: TermIndex;
  readonly attrPairs?: TermIndex;
  readonly message?: MessageKvIndex;
  /** Problems met while opening sections (reported by explain, never thrown). */
  readonly errors: readonly string[];
}
