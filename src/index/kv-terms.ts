/**
 * What the attribute and message key=value index types share: the same three term indexes
 * (keys, values, key NUL value pairs) — which one a probe reads, with the term and the short
 * label explain notes use ("kv", "key", "val") — and their counts for statistics.
 */

import { KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { sumPositions } from "./index-stats.ts";
import { intersectPositions, unionMany } from "./postings.ts";
import type { StatField } from "./index-type.ts";
import { requireIndex, type TermSection } from "./section-context.ts";
import { PAIR_SEPARATOR, type FieldValuePositions, type FieldValueSource, type IndexProbe, type TermIndex } from "./types.ts";
import { SPELLINGS_INDEX, UNSPELLED_INDEX } from "./spellings.ts";

export interface KvTerm {
  index: string;
  term: string;
  label: "kv" | "key" | "val";
}

/** Records of `pairs` (key NUL value terms) whose key is `key` and whose value `accept` takes. */
export async function keyValuePositions(pairs: TermIndex, key: string, accept: (value: string) => boolean, within?: Uint32Array): Promise<Uint32Array> {
  const prefix = key + PAIR_SEPARATOR;
  const lists: Uint32Array[] = [];
  for await (const e of pairs.prefix(prefix)) {
    if (!accept(e.term.slice(prefix.length))) continue;
    const list = within === undefined ? await e.positions() : intersectPositions(within, await e.positions());
    if (list.length > 0) lists.push(list);
  }
  return lists.length === 0 ? new Uint32Array(0) : unionMany(lists);
}

/** Every term of `index` (key NUL value terms) with key `key`, as that value and its records. */
export async function keyValueList(index: TermIndex, key: string): Promise<FieldValuePositions[]> {
  const prefix = key + PAIR_SEPARATOR;
  const out: FieldValuePositions[] = [];
  for await (const e of index.prefix(prefix)) out.push({ value: e.term.slice(prefix.length), positions: () => e.positions() });
  return out;
}

const NO_VALUES: FieldValueSource = { values: [], spellings: [] };

/**
 * Field `key`'s values and spellings in a key=value section whose pairs hold every value of the
 * key (callers check caps and overflow), or undefined when its spellings are not all listed
 * (the key is unspelled, or the section predates spellings).
 */
export async function spelledFieldValues(section: TermSection, key: string): Promise<FieldValueSource | undefined> {
  if ((await requireIndex(section, KEYS_INDEX).get(key)) === undefined) return NO_VALUES; // one lookup for the usual absent key
  const spellings = section.index(SPELLINGS_INDEX);
  const unspelled = section.index(UNSPELLED_INDEX);
  if (spellings === undefined || unspelled === undefined || (await unspelled.get(key)) !== undefined) return undefined;
  return { values: await keyValueList(requireIndex(section, PAIRS_INDEX), key), spellings: await keyValueList(spellings, key) };
}

/** The term index, term and label of a kv, key_exists or value_exists probe. */
export function kvProbeTerm(p: IndexProbe): KvTerm {
  switch (p.kind) {
    case "kv":
      return { index: PAIRS_INDEX, term: p.key + PAIR_SEPARATOR + p.value, label: "kv" };
    case "key_exists":
      return { index: KEYS_INDEX, term: p.key, label: "key" };
    case "value_exists":
      return { index: VALUES_INDEX, term: p.value, label: "val" };
    default:
      throw new Error(`a key=value index asked a ${p.kind} probe`);
  }
}

/** A key=value section's three term indexes and its pairs' total positions. */
export interface KvCounts {
  keys: TermIndex;
  values: TermIndex;
  pairs: TermIndex;
  positions: number;
}

/** The counts of `section` (walks the pairs dictionary). */
export async function kvCounts(section: TermSection): Promise<KvCounts> {
  const pairs = requireIndex(section, PAIRS_INDEX);
  return { keys: requireIndex(section, KEYS_INDEX), values: requireIndex(section, VALUES_INDEX), pairs, positions: await sumPositions(pairs) };
}

/** "K keys, V values, P pairs, N positions" (the `indexes` line). */
export function kvSummary(c: KvCounts): string {
  return `${c.keys.termCount} keys, ${c.values.termCount} values, ${c.pairs.termCount} pairs, ${c.positions} positions`;
}

/** The four count fields, labelled "unique keys" ... or "keys indexed" ... */
export function kvCountFields(c: KvCounts, style: "unique" | "indexed"): StatField[] {
  const label = (what: string) => (style === "unique" ? `unique ${what}` : `${what} indexed`);
  return [
    { label: label("keys"), kind: "count", count: c.keys.termCount },
    { label: label("values"), kind: "count", count: c.values.termCount },
    { label: label("pairs"), kind: "count", count: c.pairs.termCount },
    { label: "positions", kind: "count", count: c.positions },
  ];
}
