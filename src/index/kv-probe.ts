/**
 * The key=value probe family as the attribute and message key=value indexes store it: which of
 * their three term indexes a probe reads (keys, values, or key NUL value pairs), the term, and
 * the short label explain notes use ("kv", "key", "val").
 */

import { KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { PAIR_SEPARATOR, type IndexProbe } from "./types.ts";

export interface KvTerm {
  index: string;
  term: string;
  label: "kv" | "key" | "val";
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
