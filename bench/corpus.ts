/**
 * Bench inputs: generated corpora cached under bench/.data/ (gitignored), and a plain table
 * printer. A cached file is reused only when its line count was recorded next to it.
 */

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { generateCorpus } from "../scripts/gen-corpus.ts";

export const DATA_DIR = join(import.meta.dir, ".data");
export const CORPUS_SEED = 1;

/** Path of the corpus with `lines` lines, generated on first use. */
export function corpus(lines: number): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `corpus-s${CORPUS_SEED}-${lines}.log`);
  const stamp = `${path}.done`;
  if (existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === String(lines)) return path;
  const t0 = performance.now();
  const fd = openSync(path, "w");
  generateCorpus(CORPUS_SEED, lines, (b) => writeSync(fd, b));
  closeSync(fd);
  writeFileSync(stamp, String(lines));
  const s = (performance.now() - t0) / 1000;
  console.log(`generated ${path}: ${lines} lines in ${s.toFixed(2)}s (${fmt(lines / s / 1e6, 2)}M lines/s)`);
  return path;
}

/** Fixed-point number for tables. */
export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** Prints rows as a left-aligned text table with a header rule. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}
