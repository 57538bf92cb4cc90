/** `count_distinct(f)`: distinct values of f (exact: keeps each distinct value once per group). */

import type { FieldValue } from "../fields.ts";
import type { Accumulator, AggFunction } from "./types.ts";

class DistinctAcc implements Accumulator {
  readonly seen = new Set<string | number>();
  add(v: FieldValue): void {
    if (v !== undefined) this.seen.add(v);
  }
  merge(o: DistinctAcc): void {
    for (const v of o.seen) this.seen.add(v);
  }
  result(): number {
    return this.seen.size;
  }
}

export const countDistinct: AggFunction = {
  name: "count_distinct",
  columnType: () => "number",
  create: () => new DistinctAcc(),
};
