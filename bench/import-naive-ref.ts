/**
 * Issue 19's import targets: runs the naive prototype (import-naive.ts) as a child on a
 * corpus file and turns a `gastrolog import` row into the target table's row — lines/s and
 * peak RSS against the prototype, stored bytes (data + indexes) against zstd -3 over 1 MiB
 * blocks of the same file, each with PASS/MISS.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt } from "./corpus.ts";
import type { RefResult } from "./import-refs.ts";
import type { Row } from "./import.bench.ts";
import { measureOk, verdict } from "./proc.ts";

const MIB = 2 ** 20;

/** Targets of issue 19. */
export const ISSUE19 = { speedRatio: 1.0, peakRssMiB: 160, goalRssMiB: 128, sizeRatio: 1.2 };

export interface NaiveResult {
  lines: number;
  stored: number;
  wallSeconds: number;
  /** user + sys of the child. */
  cpuSeconds: number;
  maxRssBytes: number;
}

/** Runs the naive prototype on `path` (output in a temp dir, removed after). */
export function runNaive(path: string): NaiveResult {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-naive-"));
  try {
    const m = measureOk(["bun", join(import.meta.dir, "import-naive.ts"), path, dir]);
    const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as { lines: number; stored: number };
    return { ...r, wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, maxRssBytes: m.maxRssBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One row of the issue-19 table for `r` (the binary import of corpus `label`). Besides the
 * target (wall lines/s), CPU-seconds against the prototype's: steadier than wall on a shared
 * machine, and the bound on two cores, where the import's threads together need the CPU.
 */
export function issue19Row(label: string, r: Row, naive: NaiveResult, zstdBlocks: RefResult): string[] {
  const speed = r.lines / r.wallSeconds;
  const naiveSpeed = naive.lines / naive.wallSeconds;
  const rss = r.maxRssBytes / MIB;
  const stored = (r.dataBytes + r.indexBytes) / r.rawBytes;
  const zstd = zstdBlocks.compressed / r.rawBytes;
  return [
    label,
    fmt(speed / 1e3, 0),
    fmt(naiveSpeed / 1e3, 0),
    `${fmt(speed / naiveSpeed, 2)} ${verdict(speed / naiveSpeed >= ISSUE19.speedRatio)}`,
    fmt(r.cpuSeconds, 2),
    fmt(naive.cpuSeconds, 2),
    fmt(r.cpuSeconds / naive.cpuSeconds, 2),
    fmt(r.sysSeconds, 2),
    fmt(rss, 0),
    fmt(naive.maxRssBytes / MIB, 0),
    verdict(rss <= ISSUE19.peakRssMiB),
    fmt(stored, 4),
    fmt(zstd, 4),
    `${fmt(stored / zstd, 2)} ${verdict(stored / zstd <= ISSUE19.sizeRatio)}`,
  ];
}
