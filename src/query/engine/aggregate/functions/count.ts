/** `count()`: records; `count(f)`: records that have field f. */

import type { Accumulator, AggFunction } from "./types.ts";

export class CountAcc implements Accumulator {
  n = 0;
  constructor(private readonly needsField: boolean) {}
  add(v: unknown): void {
    if (!this.needsField || v !== undefined) this.n++;
  }
  addRecords(n: number): void {
    this.n += n;
  }
  merge(o: CountAcc): void {
    this.n += o.n;
  }
  result(): number {
    return this.n;
  }
}

export const count: AggFunction = {
  name: "count",
  columnType: () => "number",
  create: (spec) => new CountAcc(spec.field !== undefined),
};
