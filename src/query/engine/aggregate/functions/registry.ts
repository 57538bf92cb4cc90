/** The aggregation functions by name: adding one is a file in this folder and a line here. */

import type { AggName } from "../../../lang/pipe-ast.ts";
import { count } from "./count.ts";
import { countDistinct } from "./count-distinct.ts";
import { max, min } from "./extremes.ts";
import { quantile } from "./quantile.ts";
import { avg, sum } from "./sum-avg.ts";
import type { AggFunction } from "./types.ts";

export const AGG_FUNCTIONS: Readonly<Record<AggName, AggFunction>> = {
  count,
  count_distinct: countDistinct,
  min,
  max,
  sum,
  avg,
  quantile,
};
