/**
 * `bun run bench [-- --quick] [-- --only=NAME]`: runs every registered benchmark in turn and
 * prints its tables (`-- --help` lists them and their options, and runs nothing). `--quick` is the CI smoke pass (a 50k-line corpus, a few seconds).
 * Benchmarks are not tests: they print figures and ratios against references measured in the
 * same run. The import bench keeps its store for the query bench (bench/.data/stores/).
 */

import { runOutputBench } from "./cli/output.bench.ts";
import { runStartupBench } from "./cli/startup.bench.ts";
import { runImportBench } from "./import.bench.ts";
import { runIndexBuildBench } from "./index/build.bench.ts";
import { runParseSplitBench } from "./ingest/parse-split.bench.ts";
import { runQueryBench } from "./query.bench.ts";
import { runQueryColdBench } from "./query-cold.bench.ts";
import { runAggregateBench } from "./query/aggregate.bench.ts";
import { runPatternsBench } from "./query/patterns.bench.ts";
import { runReplBench } from "./repl/repl.bench.ts";
import { runForwardBench } from "./receivers/forward.bench.ts";
import { runLocalReceiverBench } from "./receivers/local.bench.ts";
import { runOtlpKafkaBench } from "./receivers/otlp-kafka.bench.ts";
import { runReceiverBench } from "./receivers/receivers.bench.ts";
import { runCodecBench } from "./storage/codecs.bench.ts";
import { runFootprintBench } from "./server/footprint.bench.ts";
import { runServerStartupBench } from "./server/startup.bench.ts";

export interface BenchOptions {
  quick: boolean;
}

const BENCHES: [string, (o: BenchOptions) => Promise<void>][] = [
  ["ingest/parse-split", runParseSplitBench],
  ["index/build", runIndexBuildBench],
  ["import", runImportBench],
  ["query", runQueryBench],
  ["query-cold", runQueryColdBench],
  ["query/aggregate", runAggregateBench],
  ["query/patterns", runPatternsBench],
  ["repl", runReplBench],
  ["receivers", runReceiverBench],
  ["receivers/local", runLocalReceiverBench],
  ["receivers/forward", runForwardBench],
  ["receivers/otlp-kafka", runOtlpKafkaBench],
  ["storage/codecs", runCodecBench],
  ["server/startup", runServerStartupBench],
  ["server/footprint", runFootprintBench],
  ["cli/startup", runStartupBench],
  ["cli/output", runOutputBench],
];

const USAGE = `usage: bun run bench [-- --quick] [-- --only=NAME] [bench options]
  --quick        the CI smoke pass (a 50k-line corpus, a few seconds)
  --only=NAME    run one bench: ${BENCHES.map(([n]) => n).join(", ")}
bench options:
  --lines=N                      import: one corpus size instead of 1M and 10M
  --rows=tcp,http,udp,sustained  receivers: a subset of rows (--only-sustained = --rows=sustained)
  --sustain-seconds=S            receivers: length of the sustained row (default 60)`;
if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}

const options: BenchOptions = { quick: process.argv.includes("--quick") };
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
if (only && !BENCHES.some(([name]) => name === only)) {
  console.error(`unknown bench '${only}'; one of: ${BENCHES.map(([n]) => n).join(", ")}`);
  process.exit(2);
}
for (const [name, run] of BENCHES) {
  if (only && name !== only) continue;
  console.log(`\n== ${name}${options.quick ? " (quick)" : ""}`);
  await run(options);
}
