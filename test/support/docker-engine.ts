/**
 * The private Docker engine of support/docker.ts for the receiver tests and benches, plus an
 * image made with `docker import` from busybox-static (no registry is reachable), as
 * ../shared/fixtures/README.md says works here. Throws with the reason when it cannot start
 * (not root, no dockerd, the daemon fails). stop() removes every container and ends the daemon.
 */

import { chmodSync, cpSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { DOCKER, DOCKERD, startEngine } from "./docker.ts";

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

export async function startDockerEngine(dir: string): Promise<DockerEngine> {
  const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((p) => Bun.file(p).size > 0);
  if (process.getuid?.() !== 0) throw new Error("not root");
  if (!DOCKERD || !DOCKER || !busybox) throw new Error(`missing ${[!DOCKERD && "dockerd", !DOCKER && "docker", !busybox && "busybox-static"].filter(Boolean).join(", ")}`);
  const engine = await startEngine(dir);
  const docker = async (...args: string[]) => {
    const r = await engine.docker(args);
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  try {
    const rootfs = join(dir, "rootfs");
    mkdirSync(join(rootfs, "bin"), { recursive: true });
    cpSync(busybox, join(rootfs, "bin/busybox"));
    chmodSync(join(rootfs, "bin/busybox"), 0o755);
    for (const a of APPLETS) symlinkSync("busybox", join(rootfs, "bin", a));
    const imported = Bun.spawnSync(["sh", "-c", `tar -C ${rootfs} -c . | ${DOCKER} -H unix://${engine.socket} import - ${BUSYBOX_IMAGE}`], { stderr: "pipe" });
    if (imported.exitCode !== 0) throw new Error(`docker import of busybox failed: ${imported.stderr.toString().trim()}`);
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return { socket: engine.socket, dataRoot: join(dir, "root"), docker, stop: () => engine.stop() };
}
