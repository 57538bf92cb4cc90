/**
 * A private Docker engine for whole-image tests: Debian's dockerd started by the test in a temp
 * dir (vfs storage, no bridge, no iptables, its own socket, so it touches no other engine), the
 * Debian docker client pointed at it, and a bounded wait on async conditions.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { until } from "./until.ts";

/** Debian's docker.io binaries (another docker client may come first on PATH). */
const SYSTEM_PATH = "/usr/bin:/usr/sbin:/bin:/sbin";
export const DOCKERD = Bun.which("dockerd", { PATH: SYSTEM_PATH });
export const DOCKER = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : null;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Engine {
  dir: string;
  /** The engine's API socket. */
  socket: string;
  docker(args: string[], env?: Record<string, string>): Promise<Run>;
  stop(): Promise<void>;
}

/** Polls a slow check (a docker or systemctl command) until it holds, naming `what`; 30 s bound. */
export function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  return until(check, { what, timeoutMs, pollMs: 200 });
}

async function spawn(argv: string[], env: Record<string, string>): Promise<Run> {
  const p = Bun.spawn(argv, { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/**
 * Starts dockerd in `dir` (default: a fresh temp dir, removed by stop()) and waits until it
 * answers (`docker info`); throws with dockerd's log when it exits first.
 */
export async function startEngine(given?: string): Promise<Engine> {
  const dir = given ?? mkdtempSync("/tmp/gldk-");
  const socket = join(dir, "d.sock");
  const host = `unix://${socket}`;
  const log = Bun.file(join(dir, "dockerd.log"));
  const proc = Bun.spawn(
    [DOCKERD!, "--data-root", join(dir, "root"), "--exec-root", join(dir, "exec"), "--pidfile", join(dir, "pid"), "-H", host, "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs"],
    { stdout: log, stderr: log },
  );
  const docker = (args: string[], env: Record<string, string> = {}) => spawn([DOCKER!, ...args], { DOCKER_HOST: host, ...env });
  const stop = async () => {
    const ids = (await docker(["ps", "-aq"])).stdout.trim();
    if (ids) await docker(["rm", "-f", ...ids.split("\n")]);
    proc.kill("SIGTERM");
    await proc.exited;
    if (given === undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor("dockerd answering", async () => {
      if (proc.exitCode !== null) throw new Error(`dockerd exited ${proc.exitCode}: ${readFileSync(join(dir, "dockerd.log"), "utf8")}`);
      return (await docker(["info"])).code === 0;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, socket, docker, stop };
}
