/**
 * Start-up of the compiled binary against a compiled hello-world (`console.log(1)`) measured
 * in the same run: `version`, `--help`, `query` on a one-chunk store and `repl --embedded -c
 * stats` on a small file. The commands run interleaved, round after round, so a machine whose
 * load drifts affects them all alike; medians of wall time (and of CPU time, steadier on a
 * busy machine) are compared as ratios to hello-world. Targets: issue 11 part 2.
 */

import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCorpus } from "../../scripts/gen-corpus.ts";
import { CORPUS_SEED, fmt, printTable } from "../corpus.ts";
import { ensureBinary, median, verdict } from "../proc.ts";
import type { BenchOptions } from "../run.ts";

/** Lines in the small file (one chunk once imported). */
const LINES = 2000;
/** A token of a few corpus lines, so the query prints a little. */
const TOKEN = "rdd_10_1";
const ROUNDS = { full: 40, quick: 3 };

interface Case {
  name: string;
  cmd: string[];
  /** Most the median may be, as a multiple of hello-world's (undefined: reference). */
  target?: number;
}

function run(cmd: string[]): { wallMs: number; cpuMs: number } {
  const t = performance.now();
  const p = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" });
  const wallMs = performance.now() - t;
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${p.exitCode}: ${p.stderr.toString().slice(-2000)}`);
  const cpu = p.resourceUsage.cpuTime;
  return { wallMs, cpuMs: Number(cpu.user + cpu.system) / 1000 };
}

/** Compiles `console.log(1)` the way issue 11 measured it: `bun build --compile`. */
function helloWorld(dir: string): string {
  const src = join(dir, "hello.ts");
  writeFileSync(src, "console.log(1);\n");
  const out = join(dir, "hello");
  const p = Bun.spawnSync(["bun", "build", "--compile", src, "--outfile", out], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`hello-world build failed: ${p.stderr.toString()}`);
  return out;
}

export async function runStartupBench(o: BenchOptions): Promise<void> {
  const bin = ensureBinary();
  const dir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  try {
    const file = join(dir, "small.log");
    const fd = openSync(file, "w");
    generateCorpus(CORPUS_SEED, LINES, (b) => writeSync(fd, b));
    closeSync(fd);
    const data = join(dir, "data");
    run([bin, "import", "--quiet", "--data", data, file]);
    const cases: Case[] = [
      { name: "hello-world (bun build --compile)", cmd: [helloWorld(dir)] },
      { name: "gastrolog version", cmd: [bin, "version"], target: 3 },
      { name: "gastrolog --help", cmd: [bin, "--help"], target: 3 },
      { name: "gastrolog query (one-chunk store)", cmd: [bin, "query", "--data", data, TOKEN], target: 5 },
      { name: "gastrolog repl --embedded -c stats", cmd: [bin, "repl", "--embedded", "-c", "stats", file], target: 6 },
    ];
    for (const c of cases) run(c.cmd); // warm the page cache
    const rounds = o.quick ? ROUNDS.quick : ROUNDS.full;
    const wall = cases.map((): number[] => []);
    const cpu = cases.map((): number[] => []);
    for (let r = 0; r < rounds; r++) {
      cases.forEach((c, i) => {
        const m = run(c.cmd);
        wall[i]!.push(m.wallMs);
        cpu[i]!.push(m.cpuMs);
      });
    }
    const ref = { wall: median(wall[0]!), cpu: median(cpu[0]!) };
    console.log(`${LINES}-line file, one chunk after import; medians of ${rounds} interleaved rounds`);
    printTable(
      ["command", "wall ms", "x hello", "cpu ms", "x hello", "target", ""],
      cases.map((c, i) => {
        const w = median(wall[i]!);
        const ratio = w / ref.wall;
        return [c.name, fmt(w), `${fmt(ratio, 1)}x`, fmt(median(cpu[i]!)), `${fmt(median(cpu[i]!) / ref.cpu, 1)}x`, c.target ? `<= ${c.target}x` : "", c.target ? verdict(ratio <= c.target) : ""];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
