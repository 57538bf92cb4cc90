/**
 * `min(f)` and `max(f)`: numeric (numeric text counts, other values are skipped); over a
 * timestamp field (`min(_time)`) the column is a time.
 */

import { numeric, type FieldValue } from "../fields.ts";
import type { Accumulator, AggFunction } from "./types.ts";

class ExtremeAcc implements Accumulator {
  best: number | undefined;
  constructor(private readonly sign: 1 | -1) {}
  add(v: FieldValue): void {
    const n = numeric(v);
    if (n !== undefined && (this.best === undefined || (n - this.best) * this.sign < 0)) this.best = n;
  }
  merge(o: ExtremeAcc): void {
    if (o.best !== undefined) this.add(o.best);
  }
  result(): number | null {
    return this.best ?? null;
  }
}

export const min: AggFunction = { name: "min", columnType: (time) => (time ? "time" : "number"), create: () => new ExtremeAcc(1) };
export const max: AggFunction = { name: "max", columnType: (time) => (time ? "time" : "number"), create: () => new ExtremeAcc(-1) };
