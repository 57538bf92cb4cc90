/**
 * The attribute index type ("attr", section idx.attrs): record attributes as keys, values and
 * key NUL value pairs (attr-builder.ts), exact. Serves the key=value probe family together
 * with the message key=value index; its statistics are key/value/pair counts and coverage.
 */

import { ATTR_SECTION, AttrIndexBuilder, KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import type { IndexType } from "./index-type.ts";
import { coveredRecords, frequencyStats, sumPositions } from "./index-stats.ts";
import { kvProbeTerm } from "./kv-probe.ts";
import { requireIndex } from "./section-context.ts";

const EMPTY = new Uint32Array(0);

export const attrIndex: IndexType = {
  name: "attr",
  title: "attribute",
  section: ATTR_SECTION,
  answers: ["kv", "key_exists", "value_exists"],
  builder: (o) => new AttrIndexBuilder(o.blockBytes),
  probe(section, probe) {
    const { index, term, label } = kvProbeTerm(probe);
    const positions = requireIndex(section, index).get(term) ?? EMPTY;
    return { kind: "positions", positions, detail: `attr_${label}=${positions.length}` };
  },
  stats(section, records, topN) {
    const keys = requireIndex(section, KEYS_INDEX);
    const values = requireIndex(section, VALUES_INDEX);
    const pairs = requireIndex(section, PAIRS_INDEX);
    const positions = sumPositions(pairs);
    const covered = coveredRecords(keys, records);
    return {
      name: "attr",
      section: ATTR_SECTION,
      title: "Attribute stats",
      summary: `${keys.termCount} keys, ${values.termCount} values, ${pairs.termCount} pairs, ${positions} positions`,
      fields: [
        { label: "unique keys", kind: "count", count: keys.termCount },
        { label: "unique values", kind: "count", count: values.termCount },
        { label: "unique pairs", kind: "count", count: pairs.termCount },
        { label: "positions", kind: "count", count: positions },
        { label: "coverage", kind: "ratio", part: covered, whole: records, of: "records" },
        { label: "top keys", kind: "terms", terms: frequencyStats(keys, topN).top },
      ],
      warnings: [],
    };
  },
};
