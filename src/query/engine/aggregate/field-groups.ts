/**
 * `stats count() by f` for one sealed chunk from its indexes, without reading records: the
 * records a field index lists under a value are that value's group, taken in field resolution
 * order (attributes, then format fields, then key=value pairs — a record an earlier index
 * resolved is not counted again), each shown as written (the index's spellings), and the
 * records in scope no index lists are the null group. When the indexes cannot say exactly —
 * a record with several values in one index (which one comes first is not indexed), or an
 * index that cannot list the field's values (ChunkIndexes.fieldValues) — nothing is added and
 * the caller reads the chunk. Gives what the record scan gives (the differential test checks it).
 */

import { asciiLower } from "../../../core/ascii.ts";
import type { ChunkIndexes } from "../../../index/types.ts";
import type { StatsStage } from "../../lang/pipe-ast.ts";
import { TIME_FIELDS } from "./fields.ts";
import type { StatsState } from "./stats.ts";

/**
 * The field (lowercased) of a stage of count()s grouped by one plain field that field indexes
 * may answer, else undefined (timestamps, `_raw`, keys that are not printable ASCII).
 */
export function indexGroupField(stage: StatsStage): string | undefined {
  const g = stage.by[0];
  if (stage.by.length !== 1 || g === undefined || g.kind !== "field") return undefined;
  if (!stage.aggs.every((a) => a.fn === "count" && a.field === undefined)) return undefined;
  if (TIME_FIELDS.has(g.name) || g.name === "_raw" || !/^[\x21-\x7e]+$/.test(g.name)) return undefined;
  return asciiLower(g.name);
}

/** The records of a chunk in scope: matching positions, or [from, to) ranges of every record. */
export type GroupScope = { hits: Uint32Array } | { ranges: ReadonlyArray<readonly [number, number]> };

/**
 * Adds the count of each value of field `key` among the chunk's records in `scope` to `part`
 * (a stage indexGroupField accepts); false, with nothing added, when the indexes cannot say.
 */
export async function countFieldGroups(indexes: ChunkIndexes, key: string, records: number, scope: GroupScope, part: StatsState): Promise<boolean> {
  const sources = await indexes.fieldValues(key);
  if (sources === undefined) return false;
  // owner[p]: -1 out of scope, 0 not resolved yet, else 1 + the group that resolved record p.
  const owner = new Int32Array(records).fill(-1);
  let inScope = 0;
  if ("hits" in scope) {
    for (const p of scope.hits) owner[p] = 0;
    inScope = scope.hits.length;
  } else {
    for (const [from, to] of scope.ranges) {
      owner.fill(0, from, Math.min(to, records));
      inScope += Math.max(0, Math.min(to, records) - from);
    }
  }
  const names: string[] = [];
  const counts: number[] = [];
  /** Group id -> index of its source. */
  const sourceOf: number[] = [];
  const group = (name: string, source: number): number => (names.push(name), counts.push(0), sourceOf.push(source)) - 1;
  for (let s = 0; s < sources.length; s++) {
    const stored = new Map<string, number>();
    for (const v of sources[s]!.values) {
      const id = group(v.value, s);
      stored.set(v.value, id);
      for (const p of await v.positions()) {
        const o = owner[p]!;
        if (o === 0) {
          owner[p] = id + 1;
          counts[id]!++;
        } else if (o > 0 && sourceOf[o - 1] === s) return false; // several values: the first is not indexed
      }
    }
    // Records whose value was written otherwise move from the stored spelling's group to theirs.
    for (const sp of sources[s]!.spellings) {
      const from = stored.get(asciiLower(sp.value));
      if (from === undefined) return false;
      const id = group(sp.value, s);
      for (const p of await sp.positions()) {
        if (owner[p] !== from + 1) continue;
        owner[p] = id + 1;
        counts[from]!--;
        counts[id]!++;
      }
    }
  }
  let resolved = 0;
  for (let id = 0; id < names.length; id++) {
    if (counts[id]! === 0) continue;
    part.addRecords([names[id]!], counts[id]!);
    resolved += counts[id]!;
  }
  if (inScope > resolved) part.addRecords([null], inScope - resolved);
  return true;
}
