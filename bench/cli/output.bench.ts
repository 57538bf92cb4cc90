/**
 * Memory while streaming a large result into a slow pipe: `gastrolog query --output json` of
 * every record of a 1.2M-line store (50k with --quick) into a reader taking 64 KiB per
 * millisecond, peak RSS of the gastrolog process from GNU time, beside the same query into
 * /dev/null and `gastrolog version` in the same run. Target (issue 11 part 1): under 100 MB,
 * and the reader gets every record.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpus, fmt, printTable } from "../corpus.ts";
import { ensureBinary, ROOT, verdict } from "../proc.ts";
import type { BenchOptions } from "../run.ts";
import { ensureStore } from "../store-cache.ts";

const LINES = { full: 1_200_000, quick: 50_000 };
const TARGET_MB = 100;
const READER = join(ROOT, "test/support/slow-reader.ts");

interface Run {
  rssMb: number;
  seconds: number;
  lines: number;
}

/** Runs `cmd` through bash with GNU time on the gastrolog process and `tail` after the pipe. */
function run(cmd: string[], tail: string, dir: string): Run {
  const rss = join(dir, "rss.txt");
  const t = performance.now();
  const p = Bun.spawnSync(["bash", "-c", `/usr/bin/time -f %M -o "$RSS" "$@" ${tail}; exit "\${PIPESTATUS[0]}"`, "bash", ...cmd], {
    env: { ...process.env, RSS: rss, BUN: process.execPath, READER },
    stdout: "pipe",
    stderr: "pipe",
  });
  const seconds = (performance.now() - t) / 1000;
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${p.exitCode}: ${p.stderr.toString().slice(-2000)}`);
  const out = p.stdout.toString().trim();
  return { rssMb: Number(readFileSync(rss, "utf8").trim().split("\n").pop()) / 1024, seconds, lines: out.startsWith("{") ? JSON.parse(out).lines : 0 };
}

export async function runOutputBench(o: BenchOptions): Promise<void> {
  const lines = o.quick ? LINES.quick : LINES.full;
  const data = ensureStore(corpus(lines), lines);
  const bin = ensureBinary();
  const dir = mkdtempSync(join(tmpdir(), "bench-output-"));
  try {
    const query = [bin, "query", "--data", data, "--output", "json"];
    const rows: [string, Run][] = [
      ["gastrolog version (reference)", run([bin, "version"], "> /dev/null", dir)],
      ["query --output json > /dev/null", run(query, "> /dev/null", dir)],
      ["query --output json | slow reader (64 KiB/ms)", run(query, `| "$BUN" "$READER" 1 65536`, dir)],
    ];
    console.log(`${lines} records, every one printed as JSON`);
    printTable(
      ["run", "peak RSS MB", "seconds", "lines read"],
      rows.map(([name, r]) => [name, fmt(r.rssMb), fmt(r.seconds, 2), r.lines ? String(r.lines) : ""]),
    );
    const slow = rows[2]![1];
    console.log(`peak RSS into a slow pipe < ${TARGET_MB} MB: ${verdict(slow.rssMb < TARGET_MB)}; every record read: ${verdict(slow.lines === lines)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
