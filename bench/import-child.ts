/**
 * Child process of the import benchmark: imports one file through the app's openStore (file
 * store, seals in a Bun Worker running the index builders — what `gastrolog import` uses) with
 * a rotation size given by `--rotate-mib`, and prints one JSON line: the ImportSummary, chunk
 * counts and this process's CPU time and peak RSS (all threads, from getrusage).
 */

import { DEFAULT_STORE_BATCH } from "../src/ingest/import/defaults.ts";
import { importFiles } from "../src/ingest/import/import-files.ts";
import { systemClock } from "../src/core/time.ts";
import { openStore } from "../src/app/stores.ts";

export interface ChildResult {
  summary: Awaited<ReturnType<typeof importFiles>>;
  chunks: number;
  sealedChunks: number;
  cpuSeconds: number;
  maxRssBytes: number;
}

async function main(argv: string[]): Promise<void> {
  const arg = (n: string): string => {
    const i = argv.indexOf(n);
    if (i < 0 || argv[i + 1] === undefined) throw new Error(`import-child: missing ${n}`);
    return argv[i + 1]!;
  };
  const opened = await openStore(arg("--data"), "default", { rotation: { maxBytes: Number(arg("--rotate-mib")) << 20 } });
  const summary = await importFiles(opened.store, [arg("--file")], {
    storeBatch: DEFAULT_STORE_BATCH,
    clock: systemClock,
    year: Number(arg("--year")),
    seal: true,
  });
  const metas = opened.store.chunks();
  await opened.close();
  const ru = process.resourceUsage();
  const result: ChildResult = {
    summary,
    chunks: metas.length,
    sealedChunks: metas.filter((c) => c.state === "sealed").length,
    cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
    maxRssBytes: ru.maxRSS * 1024,
  };
  console.log(JSON.stringify(result));
}

if (import.meta.main) await main(process.argv.slice(2));
