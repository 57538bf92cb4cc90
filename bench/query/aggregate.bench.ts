/**
 * Aggregation bench (issue 14's figures): table queries in-process (openStore + tableQuery) on
 * the generated corpus imported by `gastrolog import`, each beside a reference measured in the
 * same run on the same lines — `rg -c` on the raw file, `wc -l`, and DuckDB (node, @duckdb/node-api)
 * grouping a table it has already loaded from the lines — and each query in-thread against the
 * aggregation workers (wall and all-thread CPU). Corpus size: AGG_LINES (default 1M;
 * the issue's targets are stated for 10M; 50k with --quick).
 */

import { statSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { openStore, type OpenedStore } from "../../src/app/stores.ts";
import { tableQuery } from "../../src/query/engine/aggregate/table-query.ts";
import type { ParallelMode } from "../../src/query/engine/aggregate/parallel-stats.ts";
import { parseQueryArgs } from "../../src/query/lang/controls.ts";
import type { Cell } from "../../src/core/table.ts";
import type { BenchOptions } from "../run.ts";
import { corpus, fmt, printTable } from "../corpus.ts";
import { hasTool, measureOk, median, verdict } from "../proc.ts";
import { ensureStore } from "../store-cache.ts";

const TARGET = { countVsRg: 10, binMsPer10M: 100, byFieldVsDuckdb: 3, scanGBpsPerCore: 1.2 };

export interface Timed {
  ms: number[];
  cpuSeconds: number;
  rows: Cell[][];
}

/** Times `text` on `o` (`parallel`: in the aggregation workers when it pays, never, or always). CPU time counts every thread of the process. */
export async function timeQuery(o: OpenedStore, text: string, runs: number, parallel: ParallelMode = "auto"): Promise<Timed> {
  const q = parseQueryArgs(text, Date.now() * 1000);
  const req = { expr: q.expr, start: q.start, end: q.end, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 };
  let rows: Cell[][] = [];
  await tableQuery([o.source], req, q.stages, { parallel }); // warm the caches once
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    rows = (await tableQuery([o.source], req, q.stages, { parallel })).table.rows;
    ms.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows };
}

/** Median wall ms of a shell pipeline over `file`, and its output. */
export function timeShell(cmd: string, file: string, runs: number): { ms: number; out: string } {
  const times: number[] = [];
  let out = "";
  for (let i = 0; i < runs; i++) {
    const m = measureOk(["sh", "-c", cmd, "sh", file]);
    times.push(m.wallSeconds * 1000);
    out = m.stdout.trim();
  }
  return { ms: median(times), out };
}

export const ms = (x: number): string => (x < 10 ? fmt(x, 2) : fmt(x, 0));

export async function runAggregateBench(o: BenchOptions): Promise<void> {
  if (!hasTool("rg")) throw new Error("rg (ripgrep) is needed for the aggregate bench references");
  const lines = o.quick ? 50_000 : Number(process.env.AGG_LINES ?? 1_000_000);
  const runs = o.quick ? 1 : 5;
  const file = corpus(lines);
  const rawBytes = statSync(file).size;
  const dataDir = ensureStore(file, lines);
  const opened = await openStore(dataDir, "default");
  const rows: string[][] = [];
  const targets: string[][] = [];
  const parallel: string[][] = [];
  let parallelNote = "";
  try {
    // 1. count of a common token (about 43% of lines) vs rg -c.
    const count = await timeQuery(opened, "info | stats count()", runs);
    const rg = timeShell(`rg -c -i -w -- info "$1"`, file, runs);
    const countP50 = median(count.ms);
    rows.push(["info | stats count()", ms(countP50), String(count.rows[0]![0]), "rg -c -i -w info", ms(rg.ms), rg.out, fmt(rg.ms / countP50, 1)]);
    targets.push(["common token count vs rg -c", `${fmt(rg.ms / countP50, 1)}x faster`, `≥${TARGET.countVsRg}x`, verdict(rg.ms / countP50 >= TARGET.countVsRg)]);

    // 2. counts by 5-minute bucket over every record vs wc -l.
    const bins = await timeQuery(opened, "* | stats count() by bin(5m)", runs);
    const wc = timeShell(`wc -l < "$1"`, file, runs);
    const binP50 = median(bins.ms);
    const total = bins.rows.reduce((s, r) => s + (r[1] as number), 0);
    rows.push(["* | stats count() by bin(5m)", ms(binP50), `${total} in ${bins.rows.length} buckets`, "wc -l", ms(wc.ms), wc.out, fmt(wc.ms / binP50, 1)]);
    const per10M = (binP50 * 10_000_000) / lines;
    targets.push([`bin(5m) count, ms per 10M records (scaled from ${lines})`, ms(per10M), `≤${TARGET.binMsPer10M} ms`, verdict(per10M <= TARGET.binMsPer10M)]);

    // 3. count by a field vs DuckDB over a table it already loaded from the same lines.
    const byField = await timeQuery(opened, "| stats count() by level", runs);
    const duck = measureOk(["node", join(import.meta.dir, "duckdb-count.mjs"), file, "level", String(runs)]);
    const d = JSON.parse(duck.stdout) as { loadMs: number; runs: number[]; groups: [string | null, number][] };
    const duckP50 = median(d.runs);
    const fieldP50 = median(byField.ms);
    const same = JSON.stringify(d.groups) === JSON.stringify(byField.rows) ? "equal" : "DIFF";
    rows.push(["| stats count() by level", ms(fieldP50), `${byField.rows.length} groups (${same})`, `DuckDB GROUP BY (load ${ms(d.loadMs)} ms)`, ms(duckP50), `${d.groups.length} groups`, fmt(duckP50 / fieldP50, 2)]);
    targets.push(["count by field vs DuckDB (loaded table)", `${fmt(duckP50 / fieldP50, 2)}x`, `≥${TARGET.byFieldVsDuckdb}x`, verdict(duckP50 / fieldP50 >= TARGET.byFieldVsDuckdb)]);

    // 4. a full scan (a substring no index answers) counted.
    const scan = await timeQuery(opened, "4242 | stats count()", runs);
    const rgScan = timeShell(`rg -c -i -F -- 4242 "$1"`, file, runs);
    const scanP50 = median(scan.ms);
    const perCore = (rawBytes * runs) / 1e9 / scan.cpuSeconds;
    rows.push(["4242 | stats count()", ms(scanP50), String(scan.rows[0]![0]), "rg -c -F 4242", ms(rgScan.ms), rgScan.out, fmt(rgScan.ms / scanP50, 2)]);
    targets.push(["full scan, raw GB/s per CPU-second", fmt(perCore, 3), `≥${TARGET.scanGBpsPerCore}`, verdict(perCore >= TARGET.scanGBpsPerCore)]);

    // 5. each query in-thread and in the aggregation workers (the default picks workers when it pays).
    const workers = opened.source.partials?.workers ?? 1;
    for (const text of ["info | stats count()", "* | stats count() by bin(5m)", "| stats count() by level", "4242 | stats count()", "* | stats count(), avg(duration_ms) by status"]) {
      const one = await timeQuery(opened, text, runs, "never");
      const par = await timeQuery(opened, text, runs, "always");
      const same = JSON.stringify(one.rows) === JSON.stringify(par.rows) ? "equal" : "DIFF";
      const [w1, wN] = [median(one.ms), median(par.ms)];
      parallel.push([text, ms(w1), ms(wN), fmt(w1 / wN, 2), fmt(one.cpuSeconds / runs, 3), fmt(par.cpuSeconds / runs, 3), same]);
    }
    parallelNote = `${workers} aggregation workers (GASTROLOG_QUERY_WORKERS), ${cpus().length} cores`;
  } finally {
    await opened.close();
  }
  console.log(`\ncorpus ${lines} lines, ${fmt(rawBytes / 1e6, 1)} MB; store ${dataDir}; p50 of ${runs} warm runs`);
  printTable(["query", "ours ms", "our answer", "reference", "ref ms", "ref answer", "ref ÷ ours"], rows);
  console.log(`\nin-thread vs workers (${parallelNote}; p50 wall ms, CPU s per run over all threads):`);
  printTable(["query", "in-thread ms", "workers ms", "speedup", "in-thread CPU s", "workers CPU s", "rows"], parallel);
  console.log("\ntargets:");
  printTable(["figure", "measured", "target", "verdict"], targets);
}
