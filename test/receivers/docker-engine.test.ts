/**
 * The docker receiver against a real Docker engine (docker.io), started once for this file
 * with its own data and exec roots, vfs storage, no bridge and no iptables, and an image made
 * with `docker import` from busybox-static (no registry is reachable). Both modes read the
 * same containers at the same time: the Engine API (unix://) and the json-file files
 * (file://<data-root>/containers): one running before the receivers start, one started after,
 * a TTY container, a 40 KB line, a container rotating (and compressing) its log quickly, and
 * one the label filter leaves out; then the API receiver restarts mid-stream and resumes by
 * timestamp. Without root, dockerd, docker or busybox-static the real-engine test is skipped
 * (a failure under CI=true, which installs them) and only the captured json-file rotations are
 * read; with them, an engine that does not start fails the test.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BUSYBOX_IMAGE, startDockerEngine, type DockerEngine } from "../support/docker-engine.ts";
import { startHarness, type Harness } from "./support.ts";
import { until } from "../support/until.ts";

const dec = new TextDecoder();
const IMAGE = BUSYBOX_IMAGE;

/** What startDockerEngine needs; the real-engine test is skipped (named "needs") without it. */
const CAN = process.getuid?.() === 0 && Bun.which("dockerd") !== null && Bun.which("docker") !== null && ["/bin/busybox", "/usr/bin/busybox"].some((p) => Bun.file(p).size > 0);

let dir = "";
let engine: DockerEngine | undefined;
let unavailable = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dk-"));
  if (!CAN) return;
  try {
    engine = await startDockerEngine(dir);
  } catch (err) {
    unavailable = (err as Error).message;
  }
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Raw texts per container name. */
function byContainer(h: Harness): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of h.records()) {
    const name = r.attrs.container_name ?? "";
    out.set(name, [...(out.get(name) ?? []), dec.decode(r.raw)]);
  }
  return out;
}

const loop = (name: string, n: number, sleepUs: number, pad = "") => `i=0; while [ $i -lt ${n} ]; do echo "${name} $i${pad}"; i=$((i+1)); usleep ${sleepUs}; done`;
const seq = (name: string, n: number, pad = "") => Array.from({ length: n }, (_, i) => `${name} ${i}${pad}`);

test.skipIf(!CAN)("real engine: API and json-file modes — before/after the receiver, TTY, 40 KB line, fast rotation with compression, label filter; API resumes after a restart (needs root, docker.io, busybox-static)", async () => {
  if (!engine) throw new Error(`the Docker engine did not start: ${unavailable}`);
  const e = engine;
  const run_ = (name: string, script: string, ...opts: string[]) => e.docker("run", "-d", "--network", "none", "--name", name, ...opts, IMAGE, "sh", "-c", script);
  const pad = " padding padding padding padding";
  await run_("pre", loop("pre", 40, 20_000), "--label", "app=web");
  const filter = { label: "app=web", start: "beginning" };
  await using api = await startHarness({ type: "docker", listen: [`unix://${e.socket}`], options: filter });
  await using files = await startHarness({ type: "docker", listen: [`file://${e.dataRoot}/containers`], options: { ...filter, pollMs: 50, scanMs: 200, rotateWaitMs: 500 } });
  const big = "b".repeat(40_000);
  await Promise.all([
    run_("other", "echo not for us", "--label", "app=db"),
    run_("post", `${loop("post", 20, 1000)}; echo "post err" >&2`, "--label", "app=web"),
    run_("tty", `echo tty 1; head -c 40000 /dev/zero | tr '\\0' t; echo; echo tty end`, "-t", "--label", "app=web"),
    run_("big", `head -c 40000 /dev/zero | tr '\\0' b; echo; printf 'tail without newline'`, "--label", "app=web"),
    run_("rot", loop("rot", 500, 2000, pad), "--label", "app=web", "--log-opt", "max-size=10k", "--log-opt", "max-file=3", "--log-opt", "compress=true"),
  ]);
  await e.docker("wait", "pre", "post", "tty", "big", "rot", "other");
  const want = new Map<string, string[]>([
    ["pre", seq("pre", 40)],
    ["post", [...seq("post", 20), "post err"].sort()],
    ["tty", ["tty 1", "t".repeat(40_000), "tty end"]],
    ["big", [big, "tail without newline"]],
    ["rot", seq("rot", 500, pad)],
  ]);
  const count = [...want.values()].reduce((a, b) => a + b.length, 0);
  for (const [mode, h] of [["api", api], ["json-file", files]] as const) {
    await until(() => h.records().length >= count, { what: `${count} records in ${mode} mode`, timeoutMs: 30_000, pollMs: 20 });
    await Bun.sleep(300);
    const got = byContainer(h);
    got.set("post", (got.get("post") ?? []).sort());
    expect({ mode, containers: Object.fromEntries(got) }).toEqual({ mode, containers: Object.fromEntries(want) });
    expect(h.records().find((r) => r.attrs.container_name === "pre")!.attrs).toMatchObject({ image: IMAGE, stream: "stdout", "label.app": "web" });
  }

  // Resume by timestamp: stop the API receiver while a container logs, start it again.
  await run_("resume", loop("resume", 150, 10_000), "--label", "app=web");
  await until(() => (byContainer(api).get("resume") ?? []).length >= 30, { what: "30 resume lines", timeoutMs: 30_000, pollMs: 20 });
  await api.receiver.stop();
  await api.pipeline.drain();
  await Bun.sleep(300);
  await api.receiver.start();
  await e.docker("wait", "resume");
  await until(() => (byContainer(api).get("resume") ?? []).length >= 150, { what: "150 resume lines", timeoutMs: 30_000, pollMs: 20 });
  await Bun.sleep(300);
  expect(byContainer(api).get("resume")).toEqual(seq("resume", 150));
}, 120_000);

test("captured json-file rotations (with or without an engine)", async () => {
  const captures = resolve(import.meta.dir, "../fixtures/captures/docker");
  const root = join(dir, "captured");
  // Laid out as the daemon keeps them: one directory per container id.
  for (const [sub, id] of [
    ["rotation-maxsize2k-maxfile3", "b64d3a14b78e14cc0c3f26329d9cf399ee88c528509fca9a39897175dadd4f5a"],
    ["rotation-compress", "a6805626ca7241157b58bfe3a59ce2f60eaa0daf8b69fedae9f685d3a1d6c1d3"],
  ]) cpSync(join(captures, sub!), join(root, id!), { recursive: true });
  await using h = await startHarness({ type: "docker", listen: [`file://${root}`], options: { start: "beginning", readRotated: true, pollMs: 20, scanMs: 50 } });
  await until(() => h.records().length >= 48 + 49, { what: "97 records", timeoutMs: 30_000, pollMs: 20 });
  await Bun.sleep(200);
  const per = new Map<string, string[]>();
  for (const r of h.records()) per.set(r.attrs.container_id!, [...(per.get(r.attrs.container_id!) ?? []), dec.decode(r.raw)]);
  const lines = (from: number) => Array.from({ length: 121 - from }, (_, i) => `rotation line ${from + i}`);
  expect(Object.fromEntries([...per].map(([k, v]) => [k.slice(0, 12), v.sort()]))).toEqual({ b64d3a14b78e: lines(73).sort(), a6805626ca72: lines(72).sort() });
});
