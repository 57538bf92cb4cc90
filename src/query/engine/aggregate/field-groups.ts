/**
 * `stats count() by f` for one sealed chunk from its indexes, without reading records: the
 * records a field index lists under a value are that value's group, taken in field resolution
 * order (attributes, then format fields, then key=value pairs — a record an earlier index
 * resolved is not counted again), each shown as written (the index's spellings), and the
 * records in scope no index lists are the null group. When the indexes cannot say exactly —
 * a record with several values in one index (which one comes first is not indexed), an
 * index that cannot list the field's values (ChunkIndexes.fieldValues) or cannot be read —
 * nothing is added and the caller reads the chunk. Gives what the record scan gives (the differential test checks it).
 */

import { asciiLower } from "../../../core/ascii.ts";
import type { ChunkIndexes, FieldValuePositions, FieldValueSource } from "../../../index/types.ts";
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
  const read = await readFieldValues(indexes, key);
  if (read === undefined) return false;
  const { sources, lists } = read;
  const owner = ownerScratch(records);
  const inScope = markScope(owner, records, scope);
  const names: string[] = [];
  const counts: number[] = [];
  for (let s = 0; s < sources.length; s++) {
    /** The first group id of this source (its groups are the ids from it on). */
    const first = names.length;
    const stored = new Map<string, number>();
    sources[s]!.values.forEach((v, i) => {
      stored.set(v.value, names.push(v.value) - 1);
      counts.push(claim(lists[s]!.values[i]!, owner, names.length, first + 1));
    });
    if (counts.some((n) => n < 0)) return false; // a record with several values: the first is not indexed
    // Records whose value was written otherwise move from the stored spelling's group to theirs.
    for (let i = 0; i < sources[s]!.spellings.length; i++) {
      const written = sources[s]!.spellings[i]!.value;
      const from = stored.get(asciiLower(written));
      if (from === undefined) return false;
      const n = respell(lists[s]!.spellings[i]!, owner, from + 1, names.push(written));
      counts[from]! -= n;
      counts.push(n);
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

/**
 * The sources of field `key` and each value's records, all read before the shared scratch is
 * touched (no other query runs in between); undefined when the indexes cannot list them or
 * cannot be read (the chunk is then read, as the planner reads one whose index is damaged).
 */
async function readFieldValues(indexes: ChunkIndexes, key: string): Promise<{ sources: FieldValueSource[]; lists: { values: Uint32Array[]; spellings: Uint32Array[] }[] } | undefined> {
  try {
    const sources = await indexes.fieldValues(key);
    if (sources === undefined) return undefined;
    const lists = await Promise.all(sources.map(async (src) => ({ values: await positionsOf(src.values), spellings: await positionsOf(src.spellings) })));
    return { sources, lists };
  } catch {
    return undefined;
  }
}

async function positionsOf(values: readonly FieldValuePositions[]): Promise<Uint32Array[]> {
  const out: Uint32Array[] = [];
  for (const v of values) out.push(await v.positions());
  return out;
}

/** Marks the records out of `scope` -1 in a zeroed `owner`; how many are in it. */
function markScope(owner: Int32Array, records: number, scope: GroupScope): number {
  if ("hits" in scope) {
    owner.fill(-1);
    for (const p of scope.hits) owner[p] = 0;
    return scope.hits.length;
  }
  let inScope = 0;
  let at = 0;
  for (const [from, to] of scope.ranges) {
    const end = Math.min(to, records);
    if (from > at) owner.fill(-1, at, from);
    inScope += Math.max(0, end - from);
    at = Math.max(at, end);
  }
  if (at < records) owner.fill(-1, at);
  return inScope;
}

/** owner[p]: -1 out of scope, 0 not resolved yet, else 1 + the group that resolved record p (reused from chunk to chunk). */
let owners = new Int32Array(0);

/** The scratch for a chunk of `records`, zeroed. */
function ownerScratch(records: number): Int32Array {
  if (owners.length < records) owners = new Int32Array(records);
  const o = owners.subarray(0, records);
  o.fill(0);
  return o;
}

/**
 * Gives the unresolved records of `list` in scope to group `mark` and returns how many; -1
 * when one is already the group of this source's (marks from `sourceFirst` on): several values.
 */
function claim(list: Uint32Array, owner: Int32Array, mark: number, sourceFirst: number): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    const o = owner[p]!;
    if (o === 0) {
      owner[p] = mark;
      n++;
    } else if (o >= sourceFirst) return -1;
  }
  return n;
}

/** Moves the records of `list` in group `from` to group `to`; how many. */
function respell(list: Uint32Array, owner: Int32Array, from: number, to: number): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (owner[p] !== from) continue;
    owner[p] = to;
    n++;
  }
  return n;
}
