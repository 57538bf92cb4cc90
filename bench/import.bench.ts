/**
 * Import benchmark: the 1M and 10M-line corpora (50k with --quick) imported into a fresh store
 * in a temp dir by a child process (records/s, MB/s, max RSS, stored bytes per input byte),
 * next to references on the same file in the same run: zstd level 3 over 1 MiB blocks
 * (Bun.zstdCompressSync in-process), a 1 MiB-block newline count, and `wc -l`.
 */

import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchOptions } from "./run.ts";
import { corpus, fmt, printTable } from "./corpus.ts";
import type { ChildResult } from "./import-child.ts";

const BLOCK = 1 << 20;

function forEachBlock(path: string, fn: (block: Uint8Array) => void): void {
  const fd = openSync(path, "r");
  const buf = new Uint8Array(BLOCK);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) fn(n === BLOCK ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** Reference 1: newline count over 1 MiB reads (the floor any importer pays). */
function plainRead(path: string): { seconds: number; lines: number } {
  const t = performance.now();
  let lines = 0;
  forEachBlock(path, (b) => {
    for (let p = b.indexOf(10); p >= 0; p = b.indexOf(10, p + 1)) lines++;
  });
  return { seconds: (performance.now() - t) / 1000, lines };
}

/** Reference 2: zstd level 3 over independent 1 MiB blocks (what a block-compressed store could reach). */
function zstdBlocks(path: string): { seconds: number; compressed: number } {
  const t = performance.now();
  let compressed = 0;
  forEachBlock(path, (b) => {
    compressed += Bun.zstdCompressSync(b, { level: 3 }).length;
  });
  return { seconds: (performance.now() - t) / 1000, compressed };
}

function wcLines(path: string): { seconds: number; lines: number } {
  const t = performance.now();
  const out = Bun.spawnSync(["wc", "-l", path]);
  return { seconds: (performance.now() - t) / 1000, lines: Number(out.stdout.toString().trim().split(/\s+/)[0]) };
}

function importInChild(path: string): { result: ChildResult; wallSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-"));
  try {
    const t = performance.now();
    const child = Bun.spawnSync(["bun", join(import.meta.dir, "import-child.ts"), "--file", path, "--dir", dir], {
      stderr: "inherit",
    });
    const wallSeconds = (performance.now() - t) / 1000;
    if (child.exitCode !== 0) throw new Error(`import child failed with exit code ${child.exitCode}`);
    const lastLine = child.stdout.toString().trim().split("\n").pop()!;
    return { result: JSON.parse(lastLine) as ChildResult, wallSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runImportBench(o: BenchOptions): Promise<void> {
  const sizes = o.quick ? [50_000] : [1_000_000, 10_000_000];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const lines of sizes) {
    const path = corpus(lines);
    const bytes = statSync(path).size;
    const mb = bytes / 1e6;
    const read = plainRead(path);
    const wc = wcLines(path);
    const zstd = zstdBlocks(path);
    const { result, wallSeconds } = importInChild(path);
    const s = result.summary;
    if (result.store === "memory") notes.push("openFileStore not found in src/storage/file/: measured the MEMORY store instead");
    if (s.records !== read.lines || wc.lines !== read.lines) notes.push(`line counts differ: import ${s.records}, read ${read.lines}, wc ${wc.lines}`);
    const label = `${lines / 1e6}M`;
    const zRatio = zstd.compressed / bytes;
    const sealedRatio = result.sealedRaw > 0 ? result.sealedStored / result.sealedRaw : NaN;
    rows.push([label, "plain read 1 MiB + count \\n", fmt(read.lines / read.seconds / 1e3, 0), fmt(mb / read.seconds, 0), "", "", ""]);
    rows.push([label, "wc -l", fmt(wc.lines / wc.seconds / 1e3, 0), fmt(mb / wc.seconds, 0), "", "", ""]);
    rows.push([label, "zstd -3, 1 MiB blocks (Bun)", "", fmt(mb / zstd.seconds, 0), fmt(zRatio, 3), "", ""]);
    rows.push([
      label,
      `import → ${result.store} store`,
      fmt(s.recordsPerSec / 1e3, 0),
      fmt(s.mbPerSec, 1),
      `${fmt(s.ratio, 3)} (sealed ${fmt(sealedRatio, 3)})`,
      fmt(result.maxRssBytes / 2 ** 20, 0),
      `${fmt(s.mbPerSec / (mb / read.seconds), 3)} of read; ratio ${fmt(sealedRatio / zRatio, 2)}× zstd`,
    ]);
    notes.push(`${label}: ${s.records} records, ${fmt(mb, 1)} MB, ${fmt((100 * s.timestamped) / s.records, 1)}% timestamped, ${result.sealedChunks} sealed chunks, child wall ${fmt(wallSeconds, 2)}s`);
  }
  printTable(["corpus", "what", "k lines/s", "MB/s", "bytes/input byte", "max RSS MiB", "vs reference"], rows);
  for (const n of notes) console.log(n);
}
