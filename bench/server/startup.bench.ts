/**
 * Server time-to-ready on a large store: starts the compiled `gastrolog serve` on the cached
 * 10M-record bench store (50k with --quick), reads the "ready" log line (startup_ms, measured
 * in-process from process start) and the wall time from spawn, against `gastrolog version` as
 * the process-start reference. Target: ≤100 ms to ready. Stops each server with SIGTERM.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchOptions } from "../run.ts";
import { corpus, fmt, printTable } from "../corpus.ts";
import { ensureBinary, measureOk, median, verdict } from "../proc.ts";
import { ensureStore, storeSizes } from "../store-cache.ts";

const RUNS = 5;
const TARGET_MS = 100;

interface Startup {
  wallMs: number;
  readyMs: number;
  shutdownMs: number;
}

async function startOnce(bin: string, dataDir: string): Promise<Startup> {
  const tmp = mkdtempSync(join(tmpdir(), "bench-serve-"));
  try {
    const t0 = performance.now();
    const p = Bun.spawn([bin, "serve", "--data", dataDir, "--socket", join(tmp, "s.sock"), "--listen", "127.0.0.1:0", "--log-format", "json"], { stdout: "ignore", stderr: "pipe" });
    const dec = new TextDecoder();
    let buf = "";
    let ready: Record<string, unknown> | undefined;
    let wallMs = 0;
    let stopped: Record<string, unknown> | undefined;
    for await (const chunk of p.stderr) {
      buf += dec.decode(chunk, { stream: true });
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (line.msg === "ready") {
          wallMs = performance.now() - t0;
          ready = line;
          p.kill("SIGTERM");
        }
        if (line.msg === "stopped") stopped = line;
      }
    }
    if ((await p.exited) !== 0 || !ready || !stopped) throw new Error(`serve did not start and stop cleanly (exit ${p.exitCode})`);
    return { wallMs, readyMs: Number(ready.startup_ms), shutdownMs: Number(stopped.shutdown_ms) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function runServerStartupBench(o: BenchOptions): Promise<void> {
  const lines = o.quick ? 50_000 : 10_000_000;
  const dataDir = ensureStore(corpus(lines), lines);
  const sizes = await storeSizes(dataDir);
  const bin = ensureBinary();
  const ref: number[] = [];
  for (let i = 0; i < RUNS; i++) ref.push(measureOk([bin, "version"]).wallSeconds * 1000);
  const runs: Startup[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(bin, dataDir));
  const wall = median(runs.map((r) => r.wallMs));
  const inner = median(runs.map((r) => r.readyMs));
  console.log(`store: ${fmt(sizes.records, 0)} records in ${sizes.chunks} chunks; median of ${RUNS} runs`);
  printTable(
    ["measure", "ms", "vs `version`"],
    [
      ["`gastrolog version` (process start)", fmt(median(ref)), "1.0x"],
      ["serve: spawn -> ready log line", fmt(wall), `${(wall / median(ref)).toFixed(1)}x`],
      ["serve: startup_ms (in process)", fmt(inner), `${(inner / median(ref)).toFixed(1)}x`],
      ["serve: SIGTERM shutdown", fmt(median(runs.map((r) => r.shutdownMs))), ""],
    ],
  );
  console.log(`time to ready ≤ ${TARGET_MS} ms: ${verdict(wall <= TARGET_MS)}`);
}
