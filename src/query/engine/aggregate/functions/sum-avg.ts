/** `sum(f)` and `avg(f)` over the numeric values of f (other values are skipped; avg of none is null). */

import { numeric, type FieldValue } from "../fields.ts";
import type { Accumulator, AggFunction } from "./types.ts";

class SumAcc implements Accumulator {
  sum = 0;
  n = 0;
  constructor(private readonly average: boolean) {}
  add(v: FieldValue): void {
    const x = numeric(v);
    if (x === undefined) return;
    this.sum += x;
    this.n++;
  }
  merge(o: SumAcc): void {
    this.sum += o.sum;
    this.n += o.n;
  }
  result(): number | null {
    if (!this.average) return this.sum;
    return this.n === 0 ? null : this.sum / this.n;
  }
}

export const sum: AggFunction = { name: "sum", columnType: () => "number", create: () => new SumAcc(false) };
export const avg: AggFunction = { name: "avg", columnType: () => "number", create: () => new SumAcc(true) };
