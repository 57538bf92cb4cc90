/**
 * The whole systemd path under a real systemd: this machine's systemd boots as PID 1 in a
 * container of a private dockerd (host /usr mounted read-only, --network none), then
 * `curl -fsSL .../install.sh | sh -s -- --install-service` installs the release binary and the
 * unit, systemd starts it (Type=notify: "active" only after READY=1) as a dynamic user with the
 * unit's hardening, a syslog receiver binds port 514 through the ambient capability, records
 * come back from a query, `systemctl stop` drains with exit 0, the data survives a restart, and
 * --uninstall removes everything but the data. The release is read through a file:// base URL
 * (the container has no network; the HTTP download path is covered by install.test.ts).
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOCKER, DOCKERD, startEngine, waitFor, type Engine } from "./support/docker.ts";
import { nativeRelease, type Release } from "./support/release.ts";

const ROOT = resolve(import.meta.dir, "..");
const can = DOCKERD !== null && DOCKER !== null && process.getuid?.() === 0 && existsSync("/usr/lib/systemd/systemd") && Bun.which("curl") !== null && Bun.which("logger") !== null;
const IMAGE = "local/systemd-host:1";

let engine: Engine;
let rel: Release;
let container = "";

beforeAll(async () => {
  if (!can) return;
  [engine, rel] = await Promise.all([startEngine(), nativeRelease()]);
  const rootfs = join(engine.dir, "rootfs");
  const made = Bun.spawnSync(["bash", join(ROOT, "test/support/systemd-rootfs.sh"), rootfs], { stderr: "pipe" });
  if (made.exitCode !== 0) throw new Error(`systemd-rootfs.sh: ${made.stderr}`);
  const tar = Bun.spawn(["tar", "-C", rootfs, "-c", "."], { stdout: "pipe" });
  const imp = Bun.spawn([DOCKER!, "import", "-", IMAGE], { stdin: tar.stdout, env: { ...process.env, DOCKER_HOST: `unix://${engine.dir}/d.sock` }, stdout: "ignore", stderr: "pipe" });
  if ((await imp.exited) !== 0) throw new Error(`docker import: ${await new Response(imp.stderr).text()}`);
}, 180_000); // a dockerd, the shared release build and an image import, on a busy machine

afterAll(async () => {
  await engine?.stop();
});

/** Runs a shell script inside the booted container. */
const sh = (script: string) => engine.docker(["exec", container, "sh", "-c", script]);
const show = async (props: string) => (await sh(`systemctl show ${props.split(" ").map((p) => `-p ${p}`).join(" ")} gastrolog`)).stdout.trim().split("\n").sort();

test.skipIf(!can)("curl | sh --install-service under a real systemd: notify start, hardening, port 514, drain, restart, uninstall (needs root, docker.io, systemd)", async () => {
  const run = await engine.docker([
    "run", "-d", "--network", "none", "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
    "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp", "-v", "/usr:/usr:ro", "--tmpfs", "/usr/local:exec,mode=755,size=512m",
    "-v", `${rel.dir}:/release:ro`, "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "-e", "container=docker",
    "--entrypoint", "/lib/systemd/systemd", IMAGE, "--unit=multi-user.target",
  ]);
  expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: "" });
  container = run.stdout.trim();
  await waitFor("systemd booted", async () => ["running", "degraded"].includes((await sh("systemctl is-system-running")).stdout.trim()));

  const install = await sh("curl -fsSL file:///release/install.sh | GASTROLOG_BASE_URL=file:///release sh -s -- --install-service");
  expect({ code: install.code, started: install.stderr.includes("gastrolog.service enabled and (re)started") }).toEqual({ code: 0, started: true });
  expect(await show("Type ActiveState User DynamicUser")).toEqual(["ActiveState=active", "DynamicUser=yes", "Type=notify", "User=gastrolog"]);
  const status = (await sh("grep -E '^(Uid|CapEff|CapAmb|NoNewPrivs|Seccomp):' /proc/$(systemctl show -p MainPID --value gastrolog)/status")).stdout;
  const field = (k: string) => new RegExp(`^${k}:\\s+(\\S+)`, "m").exec(status)?.[1];
  expect({ root: field("Uid") === "0", capEff: field("CapEff"), capAmb: field("CapAmb"), noNewPrivs: field("NoNewPrivs"), seccomp: field("Seccomp") }).toEqual({
    root: false,
    capEff: "0000000000000400", // CAP_NET_BIND_SERVICE only
    capAmb: "0000000000000400",
    noNewPrivs: "1",
    seccomp: "2",
  });

  const configure = await sh("printf 'GASTROLOG_OPTS=--receiver syslog=udp://127.0.0.1:514,tcp://127.0.0.1:514\\n' > /etc/default/gastrolog && systemctl restart gastrolog && logger --server 127.0.0.1 --port 514 --tcp -t edgeapp 'hello from systemd'");
  expect({ code: configure.code, err: configure.stderr }).toEqual({ code: 0, err: "" });
  const query = "gastrolog query --data /var/lib/gastrolog 'hello'";
  await waitFor("record stored and queryable", async () => (await sh(query)).stdout.includes("hello from systemd"));

  expect((await sh("systemctl stop gastrolog")).code).toBe(0);
  expect(await show("Result ExecMainStatus ActiveState")).toEqual(["ActiveState=inactive", "ExecMainStatus=0", "Result=success"]);
  expect((await sh("journalctl -u gastrolog --no-pager")).stdout).toContain("[server] stopped");
  expect((await sh("systemctl start gastrolog && " + query)).stdout).toContain("hello from systemd");

  const uninstall = await sh("sh /release/install.sh --uninstall; test ! -e /usr/local/bin/gastrolog && test ! -e /etc/systemd/system/gastrolog.service && test -d /var/lib/private/gastrolog/stores && ! systemctl is-active gastrolog");
  expect({ code: uninstall.code, err: uninstall.stderr.includes("removed /etc/systemd/system/gastrolog.service") }).toEqual({ code: 0, err: true });
}, 240_000);
