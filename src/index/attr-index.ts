/**
 * The attribute index type ("attr", section idx.attrs): record attributes as keys, values and
 * key NUL value pairs (attr-builder.ts), exact. Serves the key=value probe family together
 * with the message key=value index; its statistics are key/value/pair counts and coverage.
 */

import { ATTR_SECTION, AttrIndexBuilder } from "./attr-builder.ts";
import type { IndexType } from "./index-type.ts";
import { coveredRecords, frequencyStats } from "./index-stats.ts";
import { keyValuePositions, kvCountFields, kvCounts, kvProbeTerm, kvSummary, spelledFieldValues } from "./kv-terms.ts";
import { PAIRS_INDEX } from "./attr-builder.ts";
import { requireIndex } from "./section-context.ts";

const EMPTY = new Uint32Array(0);

export const attrIndex: IndexType = {
  name: "attr",
  title: "attribute",
  section: ATTR_SECTION,
  answers: ["kv", "key_exists", "value_exists", "key_values"],
  builder: (o) => new AttrIndexBuilder(o.blockBytes),
  // Attributes come first in field resolution.
  fields: { rank: 0, values: spelledFieldValues },
  async probe(section, probe) {
    if (probe.kind === "key_values") {
      const positions = await keyValuePositions(requireIndex(section, PAIRS_INDEX), probe.key, probe.accept, probe.within);
      return { kind: "positions", positions, detail: `attr_values=${positions.length}` };
    }
    const { index, term, label } = kvProbeTerm(probe);
    const positions = (await requireIndex(section, index).get(term)) ?? EMPTY;
    return { kind: "positions", positions, detail: `attr_${label}=${positions.length}` };
  },
  async stats(section, records, topN) {
    const c = await kvCounts(section);
    return {
      name: "attr",
      section: ATTR_SECTION,
      title: "Attribute stats",
      summary: kvSummary(c),
      fields: [
        ...kvCountFields(c, "unique"),
        { label: "coverage", kind: "ratio", part: await coveredRecords(c.keys, records), whole: records, of: "records" },
        { label: "top keys", kind: "terms", terms: (await frequencyStats(c.keys, topN)).top },
      ],
      warnings: [],
    };
  },
};
