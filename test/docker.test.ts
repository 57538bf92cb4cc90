/**
 * The top-level Dockerfile, built and run by a real Docker engine that the test starts. No
 * registry is reachable, so BASE is a local image imported from the Debian 12 packages distroless
 * is made of and BUILDER a busybox image; PREBUILT is the binary from scripts/release. The
 * container runs with --network none and a bind-mounted data dir: its own HEALTHCHECK turns
 * healthy, records go in through the Unix socket in the data dir, queries come back, `docker
 * stop` drains and exits 0, and a second container finds the data.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { chownSync, copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { DOCKER, DOCKERD, startEngine, waitFor, type Engine } from "./support/docker.ts";
import { nativeRelease, type Release } from "./support/release.ts";

const ROOT = resolve(import.meta.dir, "..");
const NONROOT = 65532;
const can = DOCKERD !== null && DOCKER !== null && process.getuid?.() === 0 && Bun.which("busybox") !== null && Bun.which("dpkg") !== null;
const IMAGE = "gastrolog-test:latest";
const LINES = ["boot ok on edge-1", "disk error on sda", "request ok status=200", "timeout error talking to db"];

let engine: Engine;
let rel: Release;

beforeAll(async () => {
  if (!can) return;
  [engine, rel] = await Promise.all([startEngine(), nativeRelease()]);
  const rootfs = Bun.spawnSync(["bash", join(ROOT, "test/support/distroless-rootfs.sh"), engine.dir], { stderr: "pipe" });
  if (rootfs.exitCode !== 0) throw new Error(`distroless-rootfs.sh: ${rootfs.stderr}`);
  for (const [dir, tag] of [["base", "local/distroless-base:12"], ["builder", "local/busybox:1"]]) {
    const tar = Bun.spawn(["tar", "-C", join(engine.dir, dir), "-c", "."], { stdout: "pipe" });
    const imp = Bun.spawn([DOCKER!, "import", "-", tag!], { stdin: tar.stdout, env: { ...process.env, DOCKER_HOST: `unix://${engine.dir}/d.sock` }, stdout: "ignore", stderr: "pipe" });
    if ((await imp.exited) !== 0) throw new Error(`docker import ${tag}: ${await new Response(imp.stderr).text()}`);
  }
}, 180_000); // a dockerd, the shared release build and an image import, on a busy machine

afterAll(async () => {
  await engine?.stop();
});

async function query(sock: string, text: string): Promise<string[]> {
  const p = Bun.spawn([rel.binary, "query", "--addr", sock, text], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`query failed (${code}): ${err}`);
  return out.trim().split("\n").map((l) => l.split(" ").slice(2).join(" ")); // drop "<time> <attrs|->"
}

test.skipIf(!can)("distroless image: built offline, healthy, ingest over the socket, drain on docker stop, data survives (needs root, docker.io, busybox)", async () => {
  const ctx = join(engine.dir, "context");
  mkdirSync(ctx);
  copyFileSync(rel.binary, join(ctx, "gastrolog"));
  const build = await engine.docker(
    ["build", "--network", "none", "-f", join(ROOT, "Dockerfile"), "--build-arg", "BUILDER=local/busybox:1", "--build-arg", "BASE=local/distroless-base:12", "--build-arg", "PREBUILT=gastrolog", "-t", IMAGE, ctx],
    { DOCKER_BUILDKIT: "1" },
  );
  expect({ code: build.code, err: build.code === 0 ? "" : build.stderr }).toEqual({ code: 0, err: "" });
  const cfg = JSON.parse((await engine.docker(["image", "inspect", "-f", "{{json .Config}}", IMAGE])).stdout);
  expect({ user: cfg.User, entrypoint: cfg.Entrypoint, cmd: cfg.Cmd, volumes: cfg.Volumes, ports: Object.keys(cfg.ExposedPorts).sort(), health: cfg.Healthcheck.Test }).toEqual({
    user: "65532:65532",
    entrypoint: ["/gastrolog"],
    cmd: ["serve", "--data", "/data", "--listen", ":4564"],
    volumes: { "/data": {} },
    ports: ["12201/tcp", "12201/udp", "2514/tcp", "3100/tcp", "4564/tcp", "514/tcp", "514/udp"],
    health: ["CMD", "/gastrolog", "health", "--addr", "http://127.0.0.1:4564"],
  });
  const size = Number((await engine.docker(["image", "inspect", "-f", "{{.Size}}", IMAGE])).stdout);
  console.log(`image size: ${(size / 1e6).toFixed(1)} MB (binary ${(statSync(rel.binary).size / 1e6).toFixed(1)} MB)`);
  const shell = await engine.docker(["run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", IMAGE, "-c", "true"]);
  expect(shell.code).not.toBe(0);

  const data = join(engine.dir, "data");
  mkdirSync(data);
  chownSync(data, NONROOT, NONROOT);
  const sock = join(data, "gastrolog.sock");
  const run = async (extra: string[]) => (await engine.docker(["run", "-d", "--network", "none", "-v", `${data}:/data`, ...extra, IMAGE])).stdout.trim();
  const state = async (id: string, field: string) => (await engine.docker(["inspect", "-f", `{{${field}}}`, id])).stdout.trim();

  const first = await run(["--health-interval", "1s"]);
  await waitFor("container healthy (its HEALTHCHECK: gastrolog health)", async () => (await state(first, ".State.Health.Status")) === "healthy");
  await createClient(IngestService, socketTransport(sock)).append({ records: LINES.map((l) => ({ raw: new TextEncoder().encode(l) })) });
  expect(await query(sock, "error")).toEqual(["disk error on sda", "timeout error talking to db"]);
  const stop = await engine.docker(["stop", "-t", "30", first]);
  expect({ code: stop.code, exit: await state(first, ".State.ExitCode"), stopped: (await engine.docker(["logs", first])).stderr.includes("[server] stopped") }).toEqual({ code: 0, exit: "0", stopped: true });
  const owners = new Set(readdirSync(data).map((f) => statSync(join(data, f)).uid));
  expect([...owners]).toEqual([NONROOT]);

  const second = await run([]);
  await waitFor("second container answering on the socket", async () => {
    const p = Bun.spawn([rel.binary, "health", "--addr", sock], { stdout: "ignore", stderr: "ignore" });
    return (await p.exited) === 0;
  });
  expect(await query(sock, "error OR boot")).toEqual(["boot ok on edge-1", "disk error on sda", "timeout error talking to db"]);
  expect((await engine.docker(["stop", second])).code).toBe(0);
  expect(await state(second, ".State.ExitCode")).toBe("0");
}, 300_000);
