/**
 * `bun run bench [-- --quick]`: runs every registered benchmark in turn and prints its table.
 * `--quick` is the CI smoke pass (small inputs, a few seconds). Benchmarks are not tests:
 * they print figures and ratios against references measured in the same run.
 */

import { runImportBench } from "./import.bench.ts";
import { runParseSplitBench } from "./ingest/parse-split.bench.ts";

export interface BenchOptions {
  quick: boolean;
}

const BENCHES: [string, (o: BenchOptions) => Promise<void>][] = [
  ["ingest/parse-split", runParseSplitBench],
  ["import", runImportBench],
];

const options: BenchOptions = { quick: process.argv.includes("--quick") };
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
for (const [name, run] of BENCHES) {
  if (only && name !== only) continue;
  console.log(`\n== ${name}${options.quick ? " (quick)" : ""}`);
  await run(options);
}
