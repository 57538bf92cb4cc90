/**
 * Query language II bench (issue 13's figures): comparisons, field lookups, a prefix glob and a
 * regex counted in-process (openStore + tableQuery) on the generated corpus imported by
 * `gastrolog import` (access log, JSON and logfmt lines among others), each beside a reference
 * measured in the same run: `rg -c` with the equivalent regex on the raw file, or the plain
 * token query for a regex's literal. The regex is compared with its token query two ways:
 * returning all their records (both read and decode records: the issue's ≤2x target), and
 * counting (the token count is answered from the index alone, the regex's only by reading and
 * checking its candidates: shown with its ratio, not held to the target). Also the first page
 * of a comparison and the size of the format indexes per raw byte on a JSON-only corpus.
 * Corpus size: PAT_LINES (default 1M; the issue's targets are stated for 10M; 50k with --quick).
 */

import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { openStore, type OpenedStore } from "../../src/app/stores.ts";
import { FORMAT_FIELDS } from "../../src/index/format-fields.ts";
import { formatSection } from "../../src/index/format-index.ts";
import { search } from "../../src/query/engine/search.ts";
import { parseQueryArgs } from "../../src/query/lang/controls.ts";
import type { BenchOptions } from "../run.ts";
import { corpus, DATA_DIR, fmt, printTable } from "../corpus.ts";
import { hasTool, median, verdict } from "../proc.ts";
import { ensureStore, importWithBinary, scratchDataDir } from "../store-cache.ts";
import { ms, timeQuery, timeShell } from "./aggregate.bench.ts";

const TARGET = { countVsRg: 3, firstPageMs: 20, prefixVsRg: 10, regexVsToken: 2, formatBytesPerRaw: 0.03 };

/** Milliseconds to the first `limit` hits of `text` (warm), median of `runs`. */
async function firstPage(o: OpenedStore, text: string, limit: number, runs: number): Promise<number> {
  const q = parseQueryArgs(text, Date.now() * 1000);
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const it = search(o.source, { expr: q.expr, limit, reverse: false, contextBefore: 0, contextAfter: 0 });
    while (!(await it.next()).done);
    if (i > 0) times.push(performance.now() - t); // the first run warms the caches
  }
  return median(times);
}

interface SearchTimes {
  ms: number[];
  cpuSeconds: number;
  hits: number;
}

/**
 * Two searches returning all their hits (consumed, then dropped), run alternately `runs` times
 * after one warm run each (so drift and JIT warm-up fall on both alike): per search, the wall
 * ms of every run and the CPU seconds of all of them.
 */
async function timeSearches(o: OpenedStore, texts: [string, string], runs: number): Promise<[SearchTimes, SearchTimes]> {
  const drain = async (text: string): Promise<number> => {
    const q = parseQueryArgs(text, Date.now() * 1000);
    const it = search(o.source, { expr: q.expr, start: q.start, end: q.end, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 });
    let n = 0;
    while (!(await it.next()).done) n++;
    return n;
  };
  const out: [SearchTimes, SearchTimes] = [
    { ms: [], cpuSeconds: 0, hits: await drain(texts[0]) },
    { ms: [], cpuSeconds: 0, hits: await drain(texts[1]) },
  ];
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < 2; k++) {
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      out[k]!.hits = await drain(texts[k]!);
      out[k]!.ms.push(performance.now() - t);
      const cpu = process.cpuUsage(cpu0);
      out[k]!.cpuSeconds += (cpu.user + cpu.system) / 1e6;
    }
  }
  return out;
}

/** A JSON-only corpus of `lines` lines (nested objects, arrays, numbers), generated once. */
function jsonCorpus(lines: number): string {
  const path = join(DATA_DIR, `json-${lines}.log`);
  const fd = openSync(path, "w");
  let x = 7;
  const rnd = (k: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % k;
  const levels = ["info", "info", "info", "warn", "error", "debug"];
  for (let i = 0; i < lines; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 10).toISOString();
    const line = `{"ts":"${t}","level":"${levels[rnd(6)]}","msg":"request ${rnd(2) ? "completed" : "failed"}","user":{"id":${rnd(50_000)},"plan":"${rnd(3) ? "free" : "pro"}"},"request":{"method":"${rnd(4) ? "GET" : "POST"}","path":"/api/v${rnd(3)}/items/${rnd(1000)}","headers":{"content-type":"application/json"}},"status":${rnd(20) ? 200 : 503},"latency_ms":${rnd(2000)},"tags":["production","shard-${rnd(8)}"]}\n`;
    writeSync(fd, line);
  }
  closeSync(fd);
  return path;
}

export async function runPatternsBench(o: BenchOptions): Promise<void> {
  if (!hasTool("rg")) throw new Error("rg (ripgrep) is needed for the patterns bench references");
  const lines = o.quick ? 50_000 : Number(process.env.PAT_LINES ?? 1_000_000);
  const runs = o.quick ? 1 : 5;
  const file = corpus(lines);
  const dataDir = ensureStore(file, lines);
  const opened = await openStore(dataDir, "default");
  const rows: string[][] = [];
  const targets: string[][] = [];
  const vsRg = async (label: string, query: string, rg: string, target: number): Promise<void> => {
    const ours = await timeQuery(opened, `${query} | stats count()`, runs);
    const ref = timeShell(rg, file, runs);
    const p50 = median(ours.ms);
    rows.push([query, ms(p50), String(ours.rows[0]?.[0] ?? 0), rg.replace(/ "\$1"$/, ""), ms(ref.ms), ref.out, fmt(ref.ms / p50, 1)]);
    targets.push([label, `${fmt(ref.ms / p50, 1)}x faster`, `≥${target}x`, verdict(ref.ms / p50 >= target)]);
  };
  try {
    await vsRg("status>=500 count vs rg -c", "status>=500", `rg -c -e '" 5[0-9][0-9] [0-9]' -e '"status":5[0-9][0-9]' -e 'status=5[0-9][0-9]' "$1"`, TARGET.countVsRg);
    await vsRg("user_id=<n> count vs rg -c", "user_id=42", `rg -c -e '"user_id":42[,}]' -e 'user_id=42( |$)' "$1"`, TARGET.countVsRg);
    await vsRg("prefix glob vs rg -c -w", "termin*", `rg -c -i -w 'termin\\w*' "$1"`, TARGET.prefixVsRg);
    // A regex with a literal vs the token query for that literal, two ways. (a) Records: both
    // searches return every record they match (no limit; hits consumed and discarded in-process),
    // so both read and decode the records — the ≤2x target. (b) Count: the token's count comes
    // from the index alone (posting-list lengths) while the regex must still read and check each
    // candidate record, so this ratio compares an index-only answer with verification.
    const regexText = "/packetresponder \\d+ for block/";
    const tokenText = "packetresponder";
    const [tokenHits, regexHits] = await timeSearches(opened, [tokenText, regexText], Math.max(runs, 10));
    const tokenCount = await timeQuery(opened, `${tokenText} | stats count()`, runs);
    const regexCount = await timeQuery(opened, `${regexText} | stats count()`, runs);
    const hitsWall = median(regexHits.ms) / median(tokenHits.ms);
    const hitsCpu = regexHits.cpuSeconds / tokenHits.cpuSeconds;
    const countWall = median(regexCount.ms) / median(tokenCount.ms);
    const countCpu = regexCount.cpuSeconds / tokenCount.cpuSeconds;
    rows.push([`${regexText} (records)`, ms(median(regexHits.ms)), `${regexHits.hits} records`, `${tokenText} (token, records)`, ms(median(tokenHits.ms)), `${tokenHits.hits} records`, fmt(1 / hitsWall, 2)]);
    rows.push([`${regexText} | stats count()`, ms(median(regexCount.ms)), String(regexCount.rows[0]?.[0]), `${tokenText} | stats count() (index only)`, ms(median(tokenCount.ms)), String(tokenCount.rows[0]?.[0]), fmt(1 / countWall, 2)]);
    targets.push(["regex vs its token query, all records returned", `${fmt(hitsWall, 2)}x wall, ${fmt(hitsCpu, 2)}x CPU`, `≤${TARGET.regexVsToken}x`, verdict(hitsWall <= TARGET.regexVsToken)]);
    targets.push(["regex count vs token count (index-only; not the target)", `${fmt(countWall, 1)}x wall, ${fmt(countCpu, 1)}x CPU`, "—", "info"]);
    const page = await firstPage(opened, "status>=500", 100, runs);
    targets.push(["first page (limit 100) of status>=500", `${ms(page)} ms`, `≤${TARGET.firstPageMs} ms`, verdict(page <= TARGET.firstPageMs)]);
  } finally {
    await opened.close();
  }

  // Format index size per raw byte on a JSON-only corpus.
  const jsonFile = jsonCorpus(o.quick ? 50_000 : Math.min(lines, 1_000_000));
  const jsonDir = scratchDataDir();
  importWithBinary(jsonFile, jsonDir);
  const js = await openStore(jsonDir, "default");
  let raw = 0;
  let formatBytes = 0;
  try {
    for (const m of js.source.store.chunks()) {
      if (m.state !== "sealed") continue;
      raw += m.rawBytes;
      const view = await js.source.store.open(m.id);
      for (const f of FORMAT_FIELDS) formatBytes += view.sectionSize(formatSection(f)) ?? 0;
      view.close();
    }
  } finally {
    await js.close();
  }
  const perRaw = formatBytes / raw;
  targets.push(["format index bytes per raw byte (JSON corpus)", fmt(perRaw, 4), `≤${TARGET.formatBytesPerRaw}`, verdict(perRaw <= TARGET.formatBytesPerRaw)]);

  console.log(`\ncorpus ${lines} lines, ${fmt(statSync(file).size / 1e6, 1)} MB; store ${dataDir}; p50 of ${runs} warm runs`);
  printTable(["query", "ours ms", "our answer", "reference", "ref ms", "ref answer", "ref ÷ ours"], rows);
  console.log("regex vs token: '(records)' = both searches return all their records (the ≤2x target); '| stats count()' = the token count is index-only, the regex reads and checks its candidates (shown, not targeted)");
  console.log("\ntargets:");
  printTable(["figure", "measured", "target", "verdict"], targets);
}
