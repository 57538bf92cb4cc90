/**
 * Process helpers for the benches: runs a command and reports wall time, CPU time (user+sys of
 * the child and its threads, from wait4's rusage) and peak RSS; builds dist/gastrolog once per
 * bench run so the measured binary is the current tree. Also small statistics helpers.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..");
export const BINARY = join(ROOT, "dist", "gastrolog");

export interface Measured {
  wallSeconds: number;
  /** user + sys of the child (all its threads, incl. Bun Workers). */
  cpuSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  maxRssBytes: number;
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** GNU time, which reports the peak RSS of exactly the command it runs. */
const GNU_TIME = "/usr/bin/time";
const TIME_MARK = "@@gnu-time";

/**
 * Runs `cmd` to completion with stdout captured (or discarded) and measures it. Peak RSS comes
 * from GNU time when present: Bun's spawnSync rusage can report the largest child the bench
 * process ever waited for, not this one.
 */
export function measure(cmd: string[], opts: { discardStdout?: boolean } = {}): Measured {
  const timed = hasGnuTime ? [GNU_TIME, "-f", `${TIME_MARK} %M %U %S`, ...cmd] : cmd;
  const t = performance.now();
  const p = Bun.spawnSync(timed, { stdout: opts.discardStdout ? "ignore" : "pipe", stderr: "pipe" });
  const wallSeconds = (performance.now() - t) / 1000;
  let stderr = p.stderr?.toString() ?? "";
  const ru = p.resourceUsage;
  let user = Number(ru.cpuTime.user) / 1e6;
  let sys = Number(ru.cpuTime.system) / 1e6;
  let maxRssBytes = ru.maxRSS;
  const mark = stderr.lastIndexOf(TIME_MARK);
  if (mark >= 0) {
    const [kb, u, s] = stderr.slice(mark + TIME_MARK.length).trim().split(/\s+/).map(Number);
    maxRssBytes = kb! * 1024;
    user = u!;
    sys = s!;
    stderr = stderr.slice(0, mark);
  }
  return { wallSeconds, cpuSeconds: user + sys, userSeconds: user, sysSeconds: sys, maxRssBytes, stdout: p.stdout?.toString() ?? "", stderr, exitCode: p.exitCode ?? -1 };
}

const hasGnuTime = Bun.spawnSync([GNU_TIME, "-f", "%M", "true"], { stderr: "pipe" }).exitCode === 0;

/** Like measure, but throws with the child's stderr when it fails. */
export function measureOk(cmd: string[], opts: { discardStdout?: boolean } = {}): Measured {
  const m = measure(cmd, opts);
  if (m.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${m.exitCode}: ${m.stderr.trim().slice(-2000)}`);
  return m;
}

let built = false;

/** Builds dist/gastrolog from the current tree (once per process) and returns its path. */
export function ensureBinary(): string {
  if (built && existsSync(BINARY)) return BINARY;
  const t = performance.now();
  const p = Bun.spawnSync(["bash", join(ROOT, "scripts", "build")], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`scripts/build failed: ${p.stderr.toString().slice(-2000)}`);
  console.log(`built ${BINARY} in ${((performance.now() - t) / 1000).toFixed(1)}s`);
  built = true;
  return BINARY;
}

/** Whether `name` runs here (e.g. rg, zstd). */
export function hasTool(name: string): boolean {
  return Bun.which(name) !== null;
}

/** q-quantile (0..1) of `xs` by nearest rank; NaN when empty. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Median (upper median for even counts, by nearest rank). */
export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** CPU seconds (user + system, all threads) a live process has used so far: /proc, in 10 ms ticks (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Resident set size of a live process in bytes (VmRSS from /proc, all threads; Linux). */
export function rssBytes(pid: number): number {
  return statusBytes(pid, "VmRSS");
}

/** Peak resident set size of a live process so far in bytes (VmHWM: catches spikes between samples). */
export function peakRssBytes(pid: number): number {
  return statusBytes(pid, "VmHWM");
}

function statusBytes(pid: number, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** "PASS" or "MISS" for a figure against a target. */
export function verdict(ok: boolean): string {
  return ok ? "PASS" : "MISS";
}
