/**
 * Import benchmark: the 1M and 10M-line corpora (50k with --quick, N with --lines=N) and the
 * resampled loghub corpus (corpus-loghub.ts, 1M or N lines) imported into the real file store
 * with worker sealing and index builds, two ways: the compiled `gastrolog import` as a child
 * (the user's path; its store is kept for the query bench) and an openStore child with 64 MiB
 * rotation. Prints wall and CPU throughput, kernel time, peak RSS, data and index bytes per raw
 * byte, PASS/MISS against the targets (issue 19's against the naive prototype of
 * import-naive.ts and zstd -3 over 1 MiB blocks, same file, same run), and 1M→10M flatness.
 */

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchOptions } from "./run.ts";
import { corpus, fmt, printTable } from "./corpus.ts";
import type { ChildResult } from "./import-child.ts";
import { runReferences, type RefResult } from "./import-refs.ts";
import { loghubCorpus } from "./corpus-loghub.ts";
import { ISSUE19, issue19Row, runNaive, type NaiveResult } from "./import-naive-ref.ts";
import { measureOk, verdict } from "./proc.ts";
import { CORPUS_YEAR, importWithBinary, keepStore, scratchDataDir, storeSizes } from "./store-cache.ts";

/** Rotation of the openStore variant: bounded chunks, so seal memory is bounded too. */
const ROTATE_MIB = 64;
const MIB = 2 ** 20;

/** Targets from the project's issues. */
const TARGET = { linesPerCpuSecond: 300_000, dataPerRaw: 0.15, peakRssMiB: 256, indexPerRaw: 0.05 };

export interface Row {
  corpus: string;
  variant: string;
  lines: number;
  rawBytes: number;
  wallSeconds: number;
  cpuSeconds: number;
  sysSeconds: number;
  maxRssBytes: number;
  dataBytes: number;
  indexBytes: number;
  chunks: number;
}

async function viaBinary(label: string, path: string, lines: number, rawBytes: number): Promise<Row> {
  const dir = scratchDataDir();
  const run = importWithBinary(path, dir);
  const sizes = await storeSizes(dir);
  // The query bench reads the generated corpus's stores (cached by line count); a loghub store
  // of the same line count would take that name, so it is not kept.
  if (label.startsWith("loghub")) rmSync(dir, { recursive: true, force: true });
  else keepStore(dir, lines);
  if (sizes.records !== lines) console.log(`WARNING: store holds ${sizes.records} records, corpus has ${lines} lines`);
  return {
    corpus: label,
    variant: "gastrolog import (binary)",
    lines,
    rawBytes,
    wallSeconds: run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
    sysSeconds: run.sysSeconds,
    maxRssBytes: run.maxRssBytes,
    dataBytes: sizes.dataBytes,
    indexBytes: sizes.indexBytes,
    chunks: sizes.chunks,
  };
}

function viaOpenStore(label: string, path: string, lines: number, rawBytes: number): Row {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-"));
  try {
    const child = join(import.meta.dir, "import-child.ts");
    const m = measureOk(["bun", child, "--file", path, "--data", dir, "--rotate-mib", String(ROTATE_MIB), "--year", String(CORPUS_YEAR)]);
    const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as ChildResult;
    if (r.summary.records !== lines) console.log(`WARNING: imported ${r.summary.records} records, corpus has ${lines} lines`);
    return {
      corpus: label,
      variant: `openStore, rotate ${ROTATE_MIB} MiB`,
      lines,
      rawBytes,
      wallSeconds: m.wallSeconds,
      cpuSeconds: m.cpuSeconds,
      sysSeconds: m.sysSeconds,
      maxRssBytes: m.maxRssBytes,
      dataBytes: r.summary.storedBytes,
      indexBytes: r.summary.indexBytes,
      chunks: r.chunks,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function refRows(label: string, bytes: number, refs: RefResult[]): string[][] {
  return refs.map((r) => [
    label,
    r.name,
    r.lines >= 0 ? fmt(r.lines / r.seconds / 1e3, 0) : "",
    fmt(bytes / 1e6 / r.seconds, 0),
    r.compressed >= 0 ? fmt(r.compressed / bytes, 4) : "",
    r.lines >= 0 ? String(r.lines) : "",
  ]);
}

function resultRow(r: Row): string[] {
  return [
    r.corpus,
    r.variant,
    String(r.chunks),
    fmt(r.wallSeconds, 2),
    fmt(r.lines / r.wallSeconds / 1e3, 0),
    fmt(r.rawBytes / 1e6 / r.wallSeconds, 1),
    fmt(r.cpuSeconds, 2),
    fmt(r.sysSeconds, 2),
    fmt(r.lines / r.cpuSeconds / 1e3, 0),
    fmt(r.rawBytes / 1e6 / r.cpuSeconds, 1),
    fmt(r.maxRssBytes / MIB, 0),
    fmt(r.dataBytes / r.rawBytes, 4),
    fmt(r.indexBytes / r.rawBytes, 4),
  ];
}

function targetRow(r: Row): string[] {
  const perCpu = r.lines / r.cpuSeconds;
  const rss = r.maxRssBytes / MIB;
  const data = r.dataBytes / r.rawBytes;
  const index = r.indexBytes / r.rawBytes;
  return [
    r.corpus,
    r.variant,
    `${fmt(perCpu / 1e3, 0)}k ${verdict(perCpu >= TARGET.linesPerCpuSecond)}`,
    `${fmt(data, 3)} ${verdict(data <= TARGET.dataPerRaw)}`,
    `${fmt(rss, 0)} ${verdict(rss <= TARGET.peakRssMiB)}`,
    `${fmt(index, 4)} ${verdict(index <= TARGET.indexPerRaw)}`,
  ];
}

function ratioRow(r: Row, refs: RefResult[]): string[] {
  const mbps = r.rawBytes / r.wallSeconds;
  const read = refs[0]!;
  const wc = refs[1]!;
  const zBlocks = refs[2]!;
  const zCli = refs[3];
  const data = r.dataBytes / r.rawBytes;
  return [
    r.corpus,
    r.variant,
    fmt(mbps / (r.rawBytes / read.seconds), 4),
    fmt(mbps / (r.rawBytes / wc.seconds), 4),
    fmt(mbps / (r.rawBytes / zBlocks.seconds), 3),
    fmt(data / (zBlocks.compressed / r.rawBytes), 2),
    zCli ? fmt(data / (zCli.compressed / r.rawBytes), 2) : "n/a",
  ];
}

function flatRows(rows: Row[]): string[][] {
  const out: string[][] = [];
  for (const variant of new Set(rows.map((r) => r.variant))) {
    const [a, b] = rows.filter((r) => r.variant === variant && !r.corpus.startsWith("loghub"));
    if (!a || !b) continue;
    const ratio = (f: (r: Row) => number): string => fmt(f(b) / f(a), 2);
    out.push([
      `${b.corpus}/${a.corpus}`,
      variant,
      ratio((r) => r.lines / r.cpuSeconds),
      ratio((r) => r.lines / r.wallSeconds),
      ratio((r) => r.dataBytes / r.rawBytes),
      ratio((r) => r.indexBytes / r.rawBytes),
      ratio((r) => r.maxRssBytes),
    ]);
  }
  return out;
}

/** Corpora of this run: [label, path, lines]. */
function corpora(o: BenchOptions): [string, string, number][] {
  const given = process.argv.find((a) => a.startsWith("--lines="));
  const sizes = given ? [Number(given.slice("--lines=".length))] : o.quick ? [50_000] : [1_000_000, 10_000_000];
  const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  const out: [string, string, number][] = sizes.map((n) => [label(n), corpus(n), n]);
  const loghubLines = Math.min(...sizes, 1_000_000);
  const loghub = loghubCorpus(loghubLines);
  if (loghub) out.push([`loghub ${label(loghubLines)}`, loghub, loghubLines]);
  return out;
}

/** Runs the benchmark and prints its tables. */
export async function runImportBench(o: BenchOptions): Promise<void> {
  const refTable: string[][] = [];
  const rows: Row[] = [];
  const ratios: string[][] = [];
  const issue19: string[][] = [];
  for (const [label, path, lines] of corpora(o)) {
    const bytes = statSync(path).size;
    const refs = runReferences(path);
    const naive: NaiveResult = runNaive(path);
    refTable.push(...refRows(label, bytes, refs));
    refTable.push([label, "naive prototype (import-naive.ts)", fmt(naive.lines / naive.wallSeconds / 1e3, 0), fmt(bytes / 1e6 / naive.wallSeconds, 0), fmt(naive.stored / bytes, 4), String(naive.lines)]);
    const binary = await viaBinary(label, path, lines, bytes);
    const mine = [binary, viaOpenStore(label, path, lines, bytes)];
    rows.push(...mine);
    ratios.push(...mine.map((r) => ratioRow(r, refs)));
    issue19.push(issue19Row(label, binary, naive, refs[2]!));
    if (refs[0]!.lines !== lines || refs[1]!.lines !== lines) console.log(`WARNING: ${label}: line counts read ${refs[0]!.lines}, wc ${refs[1]!.lines}`);
  }
  console.log("\nreferences (same files, same run):");
  printTable(["corpus", "reference", "k lines/s", "MB/s", "bytes/raw", "lines"], refTable);
  console.log("\nimport into the file store (worker sealer + index builders; CPU = user+sys of the child, all threads):");
  printTable(
    ["corpus", "variant", "chunks", "wall s", "k lines/s", "MB/s", "CPU s", "sys s", "k lines/CPU-s", "MB/CPU-s", "peak RSS MiB", "data/raw", "index/raw"],
    rows.map(resultRow),
  );
  console.log(`\ntargets: ≥${TARGET.linesPerCpuSecond / 1e3}k lines per CPU-second, data ≤${TARGET.dataPerRaw}/raw byte, peak RSS ≤${TARGET.peakRssMiB} MiB, index ≤${TARGET.indexPerRaw}/raw byte`);
  printTable(["corpus", "variant", "lines/CPU-s", "data/raw", "peak RSS MiB", "index/raw"], rows.map(targetRow));
  console.log(
    `\nissue 19 targets, gastrolog import (binary) vs same-run references: lines/s ≥${ISSUE19.speedRatio}x the naive prototype, ` +
      `peak RSS ≤${ISSUE19.peakRssMiB} MiB (goal ${ISSUE19.goalRssMiB}), data+index ≤${ISSUE19.sizeRatio}x zstd -3 over 1 MiB blocks (goal 1.0x):`,
  );
  printTable(["corpus", "k lines/s", "naive k lines/s", "÷ naive", "CPU s", "naive CPU s", "CPU ÷ naive", "sys s", "peak RSS MiB", "naive RSS MiB", "RSS", "stored/raw", "zstd blocks/raw", "÷ zstd blocks"], issue19);
  console.log("\nratios, ours / reference (throughput: wall MB/s; size: data bytes per raw byte):");
  printTable(["corpus", "variant", "MB/s ÷ plain read", "MB/s ÷ wc -l", "MB/s ÷ zstd blocks", "data ÷ zstd blocks", "data ÷ zstd CLI"], ratios);
  const flat = flatRows(rows);
  if (flat.length > 0) {
    console.log("\nflatness, 10M figure ÷ 1M figure (1.00 = flat):");
    printTable(["sizes", "variant", "lines/CPU-s", "lines/s wall", "data/raw", "index/raw", "peak RSS"], flat);
  }
}
