/**
 * `stats`: groups rows by the `by` fields and time buckets and feeds each group's
 * accumulators (functions/). One StatsState per chunk is filled from that chunk's batches and
 * merged into the query's (and one store's into the next), so partial results computed apart
 * — per chunk, per store, from index counts (fast-count.ts) — combine into the same table.
 */

import { LogError } from "../../../core/errors.ts";
import { aggColumn, type StatsStage } from "../../lang/pipe-ast.ts";
import type { RowBatch } from "../pipeline/types.ts";
import { FieldReader, TIME_FIELDS, type FieldValue } from "./fields.ts";
import { AGG_FUNCTIONS } from "./functions/registry.ts";
import type { Accumulator } from "./functions/types.ts";
import type { Cell, Column, Table } from "../../../core/table.ts";

/** Most groups one stats stage may hold before the query is refused (memory). */
export const DEFAULT_MAX_GROUPS = 1_000_000;

/** A StatsState's groups as plain data: [key, group values, accumulators' fields] per group. */
export type StatsPartial = [key: string, values: Cell[], accs: Accumulator[]][];

interface Group {
  values: Cell[];
  accs: Accumulator[];
}

/** What one group column reads: a field, or a time bucket of a timestamp. */
interface KeyPart {
  reader: FieldReader;
  /** Bucket width (µs) for bin(); 0 for a field. */
  width: number;
}

export interface StatsOptions {
  /** Bucket boundaries are origin + k·width (default: multiples of width since the epoch). */
  binOrigin?: number;
  maxGroups?: number;
}

export class StatsState {
  readonly groups = new Map<string, Group>();
  private readonly parts: KeyPart[];
  private readonly aggReaders: (FieldReader | undefined)[];

  constructor(
    readonly stage: StatsStage,
    private readonly opts: StatsOptions = {},
  ) {
    this.parts = stage.by.map((g) => (g.kind === "bin" ? { reader: new FieldReader(g.time), width: g.width } : { reader: new FieldReader(g.name), width: 0 }));
    this.aggReaders = stage.aggs.map((a) => (a.field === undefined ? undefined : new FieldReader(a.field)));
  }

  /** An empty state for the same stage (a chunk's partial). */
  fresh(): StatsState {
    return new StatsState(this.stage, this.opts);
  }

  /** Adds the selected rows of a batch. */
  addRows(rb: RowBatch): void {
    const { batch, rows } = rb;
    if (this.parts.length === 0) return this.addUngrouped(rb);
    const values: Cell[] = new Array<Cell>(this.parts.length);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      let key = "";
      for (let p = 0; p < this.parts.length; p++) {
        const part = this.parts[p]!;
        const v = this.keyValue(part, part.reader.read(batch, i));
        values[p] = v;
        key += p === 0 ? keyPart(v) : `\u0000${keyPart(v)}`;
      }
      const g = this.group(key, values);
      for (let a = 0; a < g.accs.length; a++) {
        const reader = this.aggReaders[a];
        g.accs[a]!.add(reader === undefined ? undefined : reader.read(batch, i));
      }
    }
  }

  /**
   * Rows of a stats without `by`: one group, found once per batch; a function that reads no
   * field (count()) takes the rows as a number instead of one call each.
   */
  private addUngrouped(rb: RowBatch): void {
    const { batch, rows } = rb;
    if (rows.length === 0) return;
    const g = this.group("", []);
    for (let a = 0; a < g.accs.length; a++) {
      const acc = g.accs[a]!;
      const reader = this.aggReaders[a];
      if (reader === undefined && acc.addRecords !== undefined) acc.addRecords(rows.length);
      else for (let r = 0; r < rows.length; r++) acc.add(reader?.read(batch, rows[r]!));
    }
  }

  /**
   * Adds `n` records that all fall into the group with these key values, without reading them
   * (fast-count.ts); every aggregation must be count().
   */
  addRecords(values: Cell[], n: number): void {
    const g = this.group(values.map(keyPart).join("\u0000"), values);
    for (const acc of g.accs) acc.addRecords!(n);
  }

  /** The bucket start of time `t` for a bin() part. */
  bucketOf(width: number, t: number): number {
    const origin = this.opts.binOrigin ?? 0;
    return origin + Math.floor((t - origin) / width) * width;
  }

  /** Folds another state of the same stage into this one. */
  merge(other: StatsState): void {
    for (const [key, og] of other.groups) {
      const g = this.groups.get(key);
      if (g === undefined) {
        this.insert(key, og);
        continue;
      }
      for (let a = 0; a < g.accs.length; a++) g.accs[a]!.merge(og.accs[a]!);
    }
  }

  /**
   * The groups as plain data (structured-cloneable): how a partial computed in a worker thread
   * crosses to the thread that merges it (mergePartial).
   */
  exportPartial(): StatsPartial {
    return [...this.groups].map(([key, g]) => [key, g.values, g.accs]);
  }

  /**
   * Folds in a partial of the same stage sent by exportPartial (a structured clone): each group's
   * accumulators merge from the clone's fields, as merge() does from the originals.
   */
  mergePartial(partial: StatsPartial): void {
    for (const [key, values, accs] of partial) {
      const g = this.group(key, values);
      for (let a = 0; a < g.accs.length; a++) g.accs[a]!.merge(accs[a]!);
    }
  }

  /** The result: group columns then one column per aggregation, rows ordered by the group values. */
  table(): Table {
    const columns: Column[] = [
      ...this.stage.by.map((g): Column => (g.kind === "bin" ? { name: "_time", type: "time" } : { name: g.name, type: TIME_FIELDS.has(g.name) ? "time" : "string" })),
      ...this.stage.aggs.map((a, i): Column => ({ name: aggColumn(a), type: AGG_FUNCTIONS[a.fn].columnType(this.aggReaders[i]?.isTime ?? false) })),
    ];
    const groups = [...this.groups.values()].sort((x, y) => compareKeys(x.values, y.values));
    if (groups.length === 0 && this.parts.length === 0) groups.push(this.newGroup([]));
    return { columns, rows: groups.map((g) => [...g.values, ...g.accs.map((a) => a.result())]) };
  }

  private keyValue(part: KeyPart, v: FieldValue): Cell {
    if (part.width === 0) return v === undefined ? null : v;
    return typeof v === "number" ? this.bucketOf(part.width, v) : null;
  }

  private group(key: string, values: Cell[]): Group {
    return this.groups.get(key) ?? this.insert(key, this.newGroup(values.slice()));
  }

  private newGroup(values: Cell[]): Group {
    return { values, accs: this.stage.aggs.map((a) => AGG_FUNCTIONS[a.fn].create(a)) };
  }

  private insert(key: string, g: Group): Group {
    const max = this.opts.maxGroups ?? DEFAULT_MAX_GROUPS;
    if (this.groups.size >= max) throw new LogError("limit", `stats made more than ${max} groups; group by fewer or coarser fields (or raise query.max_groups)`);
    this.groups.set(key, g);
    return g;
  }
}

/** A key value in a group's map key: null apart from the text "null" (a JSON null's value). */
function keyPart(v: Cell): string {
  return v === null ? "\u0001" : String(v);
}

/** Orders cells: numbers numerically, strings by code unit, nulls last. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(a: Cell[], b: Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCells(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
