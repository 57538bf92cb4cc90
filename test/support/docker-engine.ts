/**
 * A private Docker engine for tests and benches, started the way ../shared/fixtures/README.md
 * says works here: dockerd with its own data and exec roots under DIR, vfs storage, no bridge,
 * no iptables, on a Unix socket; plus an image made with `docker import` from busybox-static
 * (no registry is reachable). Throws with the reason when it cannot start (not root, no
 * dockerd, the daemon fails). stop() removes every container and ends the daemon.
 */

import { chmodSync, cpSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { until } from "./until.ts";

export const BUSYBOX_IMAGE = "gastrolog-busybox:test";
/** busybox applets the image links (the scripts the tests and benches run need these). */
const APPLETS = ["sh", "echo", "head", "tr", "usleep", "seq", "printf", "sleep", "yes"];

export interface DockerEngine {
  socket: string;
  dataRoot: string;
  /** Runs the docker CLI against this engine; resolves with stdout, throws with stderr. */
  docker(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function cmd(argv: string[]): Promise<string> {
  const p = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${err.trim()}`);
  return out;
}

export async function startDockerEngine(dir: string): Promise<DockerEngine> {
  const dockerd = Bun.which("dockerd");
  const cli = Bun.which("docker");
  const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((p) => Bun.file(p).size > 0);
  if (process.getuid?.() !== 0) throw new Error("not root");
  if (!dockerd || !cli || !busybox) throw new Error(`missing ${[!dockerd && "dockerd", !cli && "docker", !busybox && "busybox-static"].filter(Boolean).join(", ")}`);
  const socket = join(dir, "d.sock");
  const dataRoot = join(dir, "data");
  const proc = Bun.spawn(
    [dockerd, "--data-root", dataRoot, "--exec-root", join(dir, "exec"), "--pidfile", join(dir, "docker.pid"), "-H", `unix://${socket}`, "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs"],
    { stdout: "ignore", stderr: "pipe" },
  );
  const ping = () => fetch("http://docker/_ping", { unix: socket }).then((r) => r.ok, () => false);
  const state = await until(async () => (proc.exitCode !== null ? "exited" : (await ping()) && "up"), { what: "dockerd to answer /_ping", timeoutMs: 30_000, pollMs: 100 }).catch(() => "not answering");
  if (state !== "up") {
    proc.kill();
    throw new Error(`dockerd did not come up (${state}): ${(await new Response(proc.stderr).text()).trim().split("\n").slice(-3).join(" / ")}`);
  }
  const docker = (...args: string[]) => cmd([cli, "-H", `unix://${socket}`, ...args]);
  const rootfs = join(dir, "rootfs");
  mkdirSync(join(rootfs, "bin"), { recursive: true });
  cpSync(busybox, join(rootfs, "bin/busybox"));
  chmodSync(join(rootfs, "bin/busybox"), 0o755);
  for (const a of APPLETS) symlinkSync("busybox", join(rootfs, "bin", a));
  await cmd(["sh", "-c", `tar -C ${rootfs} -c . | ${cli} -H unix://${socket} import - ${BUSYBOX_IMAGE}`]);
  return {
    socket,
    dataRoot,
    docker,
    async stop() {
      const ids = (await docker("ps", "-aq").catch(() => "")).split("\n").filter((x) => x !== "");
      if (ids.length > 0) await docker("rm", "-f", ...ids).catch(() => "");
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
