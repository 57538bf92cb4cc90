/**
 * Query benchmark on the 10M-line corpus (50k with --quick) imported by `gastrolog import` into
 * a cached file store: each case runs in-process through openStore + search (one cold run on a
 * freshly opened store, then warm runs; limit=0 counts every match, limit=100 is the first
 * page), then once through `dist/gastrolog query`, beside `rg` on the raw file in the same run.
 */

import { statSync } from "node:fs";
import { openStore, type OpenedStore } from "../src/app/stores.ts";
import { explain } from "../src/query/engine/explain.ts";
import { search } from "../src/query/engine/search.ts";
import type { SearchRequest } from "../src/query/engine/types.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import { nowMicros } from "../src/core/time.ts";
import type { BenchOptions } from "./run.ts";
import { corpus, fmt, printTable } from "./corpus.ts";
import { ensureBinary, hasTool, measureOk, median, quantile, verdict } from "./proc.ts";
import { queryCases, rgCommand, type QueryCase } from "./query-cases.ts";
import { ensureStore } from "./store-cache.ts";

const PAGE = 100;
/** Warm runs per case and limit: at least MIN, at most MAX, stopping once BUDGET_MS is spent. */
const WARM = { min: 3, max: 9, budgetMs: 12_000 };
const TARGET = { rareP50Ms: 10, rareVsRg: 10, scanGBpsPerCore: 1.2 };

interface Timing {
  coldMs: number;
  warm: number[];
  count: number;
  /** CPU seconds of this process over the warm runs. */
  cpuSeconds: number;
}

function request(c: QueryCase, limit: number): SearchRequest {
  const q = parseQueryArgs(c.query, nowMicros());
  return { ...q, limit, contextBefore: 0, contextAfter: 0 };
}

async function runOnce(o: OpenedStore, req: SearchRequest): Promise<{ ms: number; count: number }> {
  const t = performance.now();
  let count = 0;
  for await (const _ of search(o.source, req)) count++;
  return { ms: performance.now() - t, count };
}

/** Cold run on a freshly opened store (empty index and segment caches), then warm runs. */
async function timeCase(dataDir: string, req: SearchRequest, quick: boolean): Promise<Timing> {
  const o = await openStore(dataDir, "default");
  try {
    const cold = await runOnce(o, req);
    const warm: number[] = [];
    const cpu0 = process.cpuUsage();
    let spent = 0;
    while (warm.length < (quick ? WARM.min : WARM.max) && (warm.length < WARM.min || spent < WARM.budgetMs)) {
      const r = await runOnce(o, req);
      if (r.count !== cold.count) throw new Error(`match count changed between runs: ${cold.count} then ${r.count}`);
      warm.push(r.ms);
      spent += r.ms;
    }
    const cpu = process.cpuUsage(cpu0);
    return { coldMs: cold.ms, warm, count: cold.count, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await o.close();
  }
}

/** Median wall ms of `runs` runs of an rg pipeline, and its output (the count, with -c). */
function timeRg(cmd: string, file: string, runs: number): { ms: number; out: string } {
  const times: number[] = [];
  let out = "";
  for (let i = 0; i < runs; i++) {
    const m = measureOk(["sh", "-c", `${cmd}; true`, "sh", file]);
    times.push(m.wallSeconds * 1000);
    out = m.stdout.trim();
  }
  return { ms: median(times), out };
}

async function planSummary(o: OpenedStore, req: SearchRequest): Promise<string> {
  const plan = await explain(o.source, req);
  const modes = new Map<string, number>();
  for (const c of plan.chunks) modes.set(c.scanMode, (modes.get(c.scanMode) ?? 0) + 1);
  return [...modes].map(([m, n]) => (plan.chunks.length > 1 ? `${m}×${n}` : m)).join(",");
}

/** Whole-command wall time: `gastrolog query ... | wc -l` and the rg pipeline `| wc -l`. */
function cli(dataDir: string, file: string, c: QueryCase, limit: number): { ours: number; oursLines: number; rg: number } {
  const ours = measureOk(["sh", "-c", `"$1" query --data "$2" --limit ${limit} -- "$3" | wc -l`, "sh", ensureBinary(), dataDir, c.query]);
  const rg = measureOk(["sh", "-c", `${rgCommand(c.rg, { count: false, max: limit || undefined })} | wc -l`, "sh", file]);
  return { ours: ours.wallSeconds * 1000, oursLines: Number(ours.stdout.trim()), rg: rg.wallSeconds * 1000 };
}

const ms = (x: number): string => (x < 10 ? fmt(x, 2) : fmt(x, 0));

/** Runs the benchmark and prints its tables. */
export async function runQueryBench(o: BenchOptions): Promise<void> {
  if (!hasTool("rg")) throw new Error("rg (ripgrep) is needed for the query bench references");
  const lines = o.quick ? 50_000 : 10_000_000;
  const file = corpus(lines);
  const rawBytes = statSync(file).size;
  const dataDir = ensureStore(file, lines);
  const rgRuns = o.quick ? 1 : 3;
  const cases = queryCases(file);
  const opened = await openStore(dataDir, "default");
  const plans = await Promise.all(cases.map((c) => planSummary(opened, request(c, 0))));
  await opened.close();

  const caseRows: string[][] = [];
  const timeRows: string[][] = [];
  const cliRows: string[][] = [];
  const targets: string[][] = [];
  for (const [k, c] of cases.entries()) {
    const all = await timeCase(dataDir, request(c, 0), o.quick);
    const page = await timeCase(dataDir, request(c, PAGE), o.quick);
    const rgAll = timeRg(rgCommand(c.rg, { count: true }), file, rgRuns);
    const rgPage = timeRg(rgCommand(c.rg, { count: true, max: PAGE }), file, rgRuns);
    const rgCount = Number(rgAll.out || "0");
    const same = c.comparable ? (rgCount === all.count ? "equal" : `DIFF ${all.count - rgCount}`) : "n/a";
    caseRows.push([c.name, c.query, plans[k]!, String(all.count), String(rgCount), same, c.note]);
    for (const [limit, t, r] of [[0, all, rgAll], [PAGE, page, rgPage]] as const) {
      const p50 = median(t.warm);
      timeRows.push([c.name, String(limit), ms(t.coldMs), ms(p50), ms(quantile(t.warm, 0.9)), String(t.warm.length), ms(r.ms), fmt(r.ms / p50, 1)]);
    }
    const cAll = cli(dataDir, file, c, 0);
    const cPage = cli(dataDir, file, c, PAGE);
    if (cAll.oursLines !== all.count) console.log(`WARNING: ${c.name}: gastrolog query printed ${cAll.oursLines} lines, in-process count ${all.count}`);
    cliRows.push([c.name, ms(cAll.ours), ms(cAll.rg), fmt(cAll.ours / cAll.rg, 2), ms(cPage.ours), ms(cPage.rg), fmt(cPage.ours / cPage.rg, 2)]);
    const p50 = median(all.warm);
    if (c.name === "rare token") {
      targets.push(["rare token p50 warm (limit=0)", `${ms(p50)} ms`, `≤${TARGET.rareP50Ms} ms`, verdict(p50 <= TARGET.rareP50Ms)]);
      targets.push(["rare token vs rg -c", `${fmt(rgAll.ms / p50, 1)}x faster`, `≥${TARGET.rareVsRg}x`, verdict(rgAll.ms / p50 >= TARGET.rareVsRg)]);
    }
    if (c.name.startsWith("full scan")) {
      const gbps = rawBytes / 1e9 / (p50 / 1000);
      const perCore = (rawBytes * all.warm.length) / 1e9 / all.cpuSeconds;
      const rgGbps = rawBytes / 1e9 / (rgAll.ms / 1000);
      targets.push(["full scan, raw GB/s (wall, p50)", fmt(gbps, 3), "", `rg -c: ${fmt(rgGbps, 2)} GB/s`]);
      targets.push(["full scan, raw GB/s per core (CPU time)", fmt(perCore, 3), `≥${TARGET.scanGBpsPerCore}`, verdict(perCore >= TARGET.scanGBpsPerCore)]);
    }
  }
  console.log(`\ncorpus ${lines} lines, ${fmt(rawBytes / 1e6, 1)} MB; store ${dataDir}`);
  printTable(["case", "query", "plan", "our matches", "rg -c", "check", "note"], caseRows);
  console.log("\nin-process (openStore + search), ms; cold = first run on a freshly opened store (OS page cache warm):");
  printTable(["case", "limit", "cold", "p50 warm", "p90 warm", "runs", "rg -c (-m 100)", "rg ÷ ours"], timeRows);
  console.log("\nwhole command, ms (process start included; matches printed and piped to wc -l, rg prints lines the same way):");
  printTable(["case", "gastrolog limit=0", "rg", "ours ÷ rg", "gastrolog limit=100", "rg -m 100", "ours ÷ rg"], cliRows);
  console.log("\ntargets:");
  printTable(["figure", "measured", "target", "verdict"], targets);
}
