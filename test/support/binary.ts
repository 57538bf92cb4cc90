/**
 * Builds the single executable once per test process (scripts/build into a temp dir) so
 * whole-binary tests always run the current sources, and runs it with captured output.
 * GASTROLOG_TEST_BINARY=PATH tests that executable instead (e.g. an older build, to see a
 * test fail without a fix).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
let built: Promise<string> | undefined;

/** Path of a freshly compiled gastrolog executable. */
export function gastrologBinary(): Promise<string> {
  const given = process.env.GASTROLOG_TEST_BINARY;
  if (given) return Promise.resolve(resolve(given));
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), "gastrolog-bin-")), "gastrolog");
    const proc = Bun.spawn(["bash", "scripts/build"], { cwd: ROOT, env: { ...process.env, GASTROLOG_OUT: out }, stdout: "pipe", stderr: "pipe" });
    if ((await proc.exited) !== 0) throw new Error(`build failed: ${await new Response(proc.stderr).text()}`);
    return out;
  })();
  return built;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the binary with `args`, optional stdin bytes and extra environment. */
export async function runBinary(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  const proc = Bun.spawn([await gastrologBinary(), ...args], {
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
