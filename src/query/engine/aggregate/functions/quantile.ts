/**
 * `quantile(q, f)` (and `median(f)` = quantile(0.5, f)): exact, over the numeric values of f,
 * linearly interpolated between the two nearest ranks (as numpy's default). Keeps every value
 * of a group (8 bytes each) until the end.
 */

import type { AggSpec } from "../../../lang/pipe-ast.ts";
import { numeric, type FieldValue } from "../fields.ts";
import type { Accumulator, AggFunction } from "./types.ts";

class QuantileAcc implements Accumulator {
  values: number[] = [];
  constructor(private readonly q: number) {}
  add(v: FieldValue): void {
    const x = numeric(v);
    if (x !== undefined) this.values.push(x);
  }
  merge(o: QuantileAcc): void {
    for (const x of o.values) this.values.push(x);
  }
  result(): number | null {
    const n = this.values.length;
    if (n === 0) return null;
    const sorted = Float64Array.from(this.values).sort();
    const at = this.q * (n - 1);
    const lo = Math.floor(at);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
  }
}

export const quantile: AggFunction = {
  name: "quantile",
  columnType: () => "number",
  create: (spec: AggSpec) => new QuantileAcc(spec.q ?? 0.5),
};
