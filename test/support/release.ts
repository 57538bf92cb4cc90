/**
 * Release artifacts for whole-install tests: `scripts/release` for the native target only (no
 * runtime download, a few seconds), built once per test process, and a static HTTP server on
 * 127.0.0.1 that serves such a directory and logs every request with its User-Agent.
 */

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");

export interface Release {
  dir: string;
  version: string;
  /** linux-x64 or linux-arm64: the machine's own target. */
  target: string;
  /** The release's binary for this machine. */
  binary: string;
}

let built: Promise<Release> | undefined;

/** The machine's release target. */
export function nativeTarget(): string {
  return `linux-${process.arch === "arm64" ? "arm64" : "x64"}`;
}

/** `scripts/release --targets <targets> --out <dir>`; throws with its stderr when it fails. Returns the version. */
export async function buildRelease(targets: string[], dir: string): Promise<string> {
  const proc = Bun.spawn(["bash", "scripts/release", "--targets", targets.join(","), "--out", dir], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`scripts/release failed: ${await new Response(proc.stderr).text()}`);
  return ((await Bun.file(join(dir, "manifest.json")).json()) as { version: string }).version;
}

/** `scripts/release --targets <native>` into a temp dir, once per test process. */
export function nativeRelease(): Promise<Release> {
  built ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "gastrolog-release-")), "release");
    const target = nativeTarget();
    const version = await buildRelease([target], dir);
    return { dir, version, target, binary: join(dir, `gastrolog-${version}-${target}`) };
  })();
  return built;
}

export interface FileServer {
  /** http://127.0.0.1:PORT */
  base: string;
  /** Every request: path and User-Agent. */
  requests: { path: string; agent: string }[];
  stop(): void;
}

/** Serves the files of `dir` (GET only, 404 for anything missing or outside it). */
export function serveDir(dir: string): FileServer {
  const requests: FileServer["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = decodeURIComponent(new URL(req.url).pathname);
      requests.push({ path, agent: req.headers.get("user-agent") ?? "" });
      const file = normalize(join(dir, path));
      if (!file.startsWith(dir + "/") || !existsSync(file)) return new Response("not found\n", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
  return { base: `http://127.0.0.1:${server.port}`, requests, stop: () => void server.stop(true) };
}

