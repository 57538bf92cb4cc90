/**
 * Same-run references for the import benchmark, measured on the same corpus file: a plain
 * 1 MiB-read newline count, `wc -l`, zstd level 3 over independent 1 MiB blocks (in-process,
 * Bun's zstd — what a block-compressed store can reach) and the `zstd -3` CLI on the whole
 * stream (single thread; its long window is an upper bound block stores do not reach).
 */

import { closeSync, openSync, readSync } from "node:fs";
import { hasTool, measureOk } from "./proc.ts";

const BLOCK = 1 << 20;

export interface RefResult {
  name: string;
  seconds: number;
  /** Lines counted (newline refs) or -1. */
  lines: number;
  /** Compressed bytes (zstd refs) or -1. */
  compressed: number;
}

function forEachBlock(path: string, fn: (block: Uint8Array) => void): void {
  const fd = openSync(path, "r");
  const buf = new Uint8Array(BLOCK);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) fn(n === BLOCK ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

function plainRead(path: string): RefResult {
  const t = performance.now();
  let lines = 0;
  forEachBlock(path, (b) => {
    for (let p = b.indexOf(10); p >= 0; p = b.indexOf(10, p + 1)) lines++;
  });
  return { name: "plain read 1 MiB + count \\n", seconds: (performance.now() - t) / 1000, lines, compressed: -1 };
}

function zstdBlocks(path: string): RefResult {
  const t = performance.now();
  let compressed = 0;
  forEachBlock(path, (b) => {
    compressed += Bun.zstdCompressSync(b, { level: 3 }).length;
  });
  return { name: "zstd -3, 1 MiB blocks (Bun)", seconds: (performance.now() - t) / 1000, lines: -1, compressed };
}

function wcLines(path: string): RefResult {
  const m = measureOk(["wc", "-l", path]);
  return { name: "wc -l", seconds: m.wallSeconds, lines: Number(m.stdout.trim().split(/\s+/)[0]), compressed: -1 };
}

function zstdCli(path: string): RefResult {
  const m = measureOk(["sh", "-c", 'zstd -3 -T1 -q -c "$1" | wc -c', "sh", path]);
  return { name: "zstd -3 -T1 CLI, whole stream", seconds: m.wallSeconds, lines: -1, compressed: Number(m.stdout.trim()) };
}

/** Runs every reference available here on `path`, in a fixed order. */
export function runReferences(path: string): RefResult[] {
  const out = [plainRead(path), wcLines(path), zstdBlocks(path)];
  if (hasTool("zstd")) out.push(zstdCli(path));
  return out;
}
