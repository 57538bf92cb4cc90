/**
 * Term statistics of a sealed chunk's index sections for `analyze <chunk>`: token
 * frequencies (p50/p95/max, top terms), attribute keys/values/pairs with record coverage, and
 * the message key=value index with its loss status. Pure over opened TermSections; reads list
 * sizes from their headers and decodes only the attribute key lists (for coverage).
 */

import { errorMessage } from "../core/errors.ts";
import { ATTR_SECTION, KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import type { TermSectionStatus } from "./term-section-format.ts";
import { TermSection, type TermListing } from "./term-section-reader.ts";
import { TOKEN_INDEX, TOKEN_SECTION } from "./token-builder.ts";

/** Most top terms a report may ask for. */
export const MAX_TOP_N = 100;

export interface TermCount {
  term: string;
  /** Records holding the term. */
  count: number;
}

/** Distribution of list sizes over one index's terms. */
export interface FrequencyStats {
  terms: number;
  /** Sum of all list sizes. */
  positions: number;
  /** positions / terms (0 without terms). */
  avg: number;
  p50: number;
  p95: number;
  max: number;
  /** Most frequent terms, by count descending then term ascending. */
  top: TermCount[];
}

export interface AttributeStats {
  keys: number;
  values: number;
  pairs: number;
  /** Attribute occurrences (sum of the pairs' list sizes). */
  positions: number;
  /** Records holding at least one attribute. */
  recordsWithAttrs: number;
  /** Keys by the records that hold them. */
  topKeys: TermCount[];
}

export interface MessageKvStats {
  keys: number;
  values: number;
  pairs: number;
  positions: number;
  /** complete: exact; capped: hard cap hit, nothing indexed; budget: entries dropped. */
  status: TermSectionStatus;
  /** Keys whose values exceeded the per-key cap (their pairs are not indexed). */
  overflowedKeys: number;
  /** The first overflowed keys (up to the report's top N). */
  overflowed: string[];
  topKeys: TermCount[];
}

export interface IndexStats {
  tokens?: FrequencyStats;
  attrs?: AttributeStats;
  kv?: MessageKvStats;
}

/** Nearest-rank percentile `p` (0..1) of ascending `sorted`; 0 when empty. */
function percentile(sorted: Uint32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Inserts term i into `top` (indexes, best first, at most n) when it ranks. Ties keep the
 * earlier (smaller) term, since terms arrive in ascending order.
 */
function rank(top: number[], counts: Uint32Array, i: number, n: number): void {
  const c = counts[i]!;
  if (top.length === n && counts[top[n - 1]!]! >= c) return;
  let at = top.length;
  while (at > 0 && counts[top[at - 1]!]! < c) at--;
  top.splice(at, 0, i);
  if (top.length > n) top.pop();
}

/** List sizes of every term of `l`. */
function listSizes(l: TermListing): Uint32Array {
  const counts = new Uint32Array(l.termCount);
  for (let i = 0; i < counts.length; i++) counts[i] = l.positions(i);
  return counts;
}

/** Frequency statistics of one index, with its `topN` most frequent terms. */
export function frequencyStats(l: TermListing, topN: number): FrequencyStats {
  const counts = listSizes(l);
  const n = Math.min(Math.max(topN, 0), MAX_TOP_N);
  const top: number[] = [];
  let positions = 0;
  for (let i = 0; i < counts.length; i++) {
    positions += counts[i]!;
    if (n > 0) rank(top, counts, i, n);
  }
  const sorted = counts.slice().sort();
  return {
    terms: counts.length,
    positions,
    avg: counts.length === 0 ? 0 : positions / counts.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
    top: top.map((i) => ({ term: l.term(i), count: counts[i]! })),
  };
}

function sumPositions(l: TermListing): number {
  let sum = 0;
  for (let i = 0; i < l.termCount; i++) sum += l.positions(i);
  return sum;
}

/** Records (of `records`) that appear in any list of `l`. */
function coveredRecords(l: TermListing, records: number): number {
  const seen = new Uint8Array(records);
  let covered = 0;
  for (let i = 0; i < l.termCount; i++) {
    const p = l.postings(i);
    for (let j = 0; j < p.length; j++) {
      const pos = p[j]!;
      if (pos < records && seen[pos] === 0) {
        seen[pos] = 1;
        covered++;
      }
    }
  }
  return covered;
}

function attributeStats(s: TermSection, records: number, topN: number): AttributeStats | undefined {
  const keys = s.listing(KEYS_INDEX);
  const values = s.listing(VALUES_INDEX);
  const pairs = s.listing(PAIRS_INDEX);
  if (!keys || !values || !pairs) return undefined;
  return {
    keys: keys.termCount,
    values: values.termCount,
    pairs: pairs.termCount,
    positions: sumPositions(pairs),
    recordsWithAttrs: coveredRecords(keys, records),
    topKeys: frequencyStats(keys, topN).top,
  };
}

function messageKvStats(s: TermSection, topN: number): MessageKvStats | undefined {
  const keys = s.listing(KEYS_INDEX);
  const values = s.listing(VALUES_INDEX);
  const pairs = s.listing(PAIRS_INDEX);
  if (!keys || !values || !pairs) return undefined;
  const overflow = s.listing(OVERFLOW_INDEX);
  const overflowed: string[] = [];
  const shown = Math.min(overflow?.termCount ?? 0, Math.min(Math.max(topN, 0), MAX_TOP_N));
  for (let i = 0; i < shown; i++) overflowed.push(overflow!.term(i));
  return {
    keys: keys.termCount,
    values: values.termCount,
    pairs: pairs.termCount,
    positions: sumPositions(pairs),
    status: s.header.status,
    overflowedKeys: overflow?.termCount ?? 0,
    overflowed,
    topKeys: frequencyStats(keys, topN).top,
  };
}

/**
 * Statistics of the sections a chunk has (by section name; absent ones are skipped). `records`
 * is the chunk's record count (for coverage). Throws LogError("corrupt") when a body does not
 * decode.
 */
export function indexStats(sections: ReadonlyMap<string, TermSection>, records: number, topN: number): IndexStats {
  const out: IndexStats = {};
  const tokens = sections.get(TOKEN_SECTION)?.listing(TOKEN_INDEX);
  if (tokens) out.tokens = frequencyStats(tokens, topN);
  const attrs = sections.get(ATTR_SECTION);
  if (attrs) out.attrs = attributeStats(attrs, records, topN);
  const kv = sections.get(MSGKV_SECTION);
  if (kv) out.kv = messageKvStats(kv, topN);
  return out;
}

/** The index sections a reader has, opened (headers only); unreadable ones go to `errors`. */
export function openStatSections(section: (name: string) => Uint8Array | undefined, names: readonly string[], errors: string[]): Map<string, TermSection> {
  const out = new Map<string, TermSection>();
  for (const name of names) {
    const bytes = section(name);
    if (bytes === undefined) continue;
    try {
      out.set(name, new TermSection(bytes));
    } catch (err) {
      errors.push(`section "${name}": ${errorMessage(err)}`);
    }
  }
  return out;
}
