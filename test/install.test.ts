/**
 * install.sh end to end: the artifacts of `scripts/release` (native target) served from
 * 127.0.0.1, `curl -fsSL BASE/install.sh | sh` into a temporary HOME as an unprivileged user,
 * then the installed binary run for real. Also dash, busybox sh with only busybox's applets
 * (its wget), GNU wget when curl is missing, idempotence, --version/--prefix, an unknown version,
 * a corrupted binary, other machines' targets, a glibc machine that also has musl's loader,
 * --install-service and --uninstall, shellcheck, and an upgrade that replaces the binary under a
 * running `gastrolog serve`.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { nativeRelease, serveDir, type FileServer, type Release } from "./support/release.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

const ROOT = resolve(import.meta.dir, "..");
const has = (c: string) => Bun.which(c) !== null;
const NOBODY = 65534;
const SETPRIV = Bun.which("setpriv") ?? "setpriv";
/** Commands install.sh uses, besides the shell and the downloader. */
const TOOLS = ["uname", "getconf", "ldd", "awk", "sed", "grep", "cut", "tr", "sort", "head", "mkdir", "mktemp", "rm", "mv", "cp", "chmod", "id", "sha256sum", "ls"];

let rel: Release;
let srv: FileServer;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  rel = await nativeRelease();
  srv = serveDir(rel.dir);
  tmp = serverDir();
  chmodSync(tmp.dir, 0o755);
});

afterAll(() => {
  srv?.stop();
  tmp?.cleanup();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string[], env: Record<string, string>): Promise<Run> {
  const asNobody = process.getuid?.() === 0 && env.AS_ROOT !== "1";
  const argv = asNobody ? [SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", ...cmd] : cmd;
  const p = Bun.spawn(argv, { env: { PATH: process.env.PATH!, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** A fresh HOME owned by the user the installer runs as. */
function home(name: string): string {
  const h = join(tmp.dir, name);
  mkdirSync(h);
  if (process.getuid?.() === 0) chownSync(h, NOBODY, NOBODY);
  return h;
}

/** A directory of symlinks to exactly these commands: a PATH without everything else. */
function toolDir(name: string, commands: string[]): string {
  const d = join(tmp.dir, name);
  mkdirSync(d);
  for (const c of commands) symlinkSync(Bun.which(c)!, join(d, c));
  return d;
}

/** A toolDir with every applet of busybox: a PATH of busybox alone. */
async function busyboxDir(name: string): Promise<string> {
  const d = toolDir(name, []);
  for (const applet of (await run(["busybox", "--list"], { AS_ROOT: "1" })).stdout.trim().split("\n")) symlinkSync(Bun.which("busybox")!, join(d, applet));
  return d;
}

/** The agents that fetched the binary since request number `from`. */
function binaryAgents(from: number): string[] {
  return srv.requests.slice(from).filter((r) => r.path === `/gastrolog-${rel.version}-${rel.target}`).map((r) => r.agent.split("/")[0]!);
}

const sha256 = (path: string) => new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex");
const versionLine = () => `gastrolog ${rel.version} (bun ${Bun.version}, commit `;

test.skipIf(!has("curl") || !has("setpriv"))("curl | sh into a temporary HOME, then the installed binary works; a second run changes nothing (needs curl, setpriv)", async () => {
  const h = home("curl-home");
  const log = join(h, "app.log");
  writeFileSync(log, "Jan  1 00:00:01 host app: one error\nJan  1 00:00:02 host app: two\nJan  1 00:00:03 host app: three error\n");
  const env = { HOME: h, GASTROLOG_BASE_URL: srv.base };
  const from = srv.requests.length;
  const first = await run(["sh", "-c", `curl -fsSL ${srv.base}/install.sh | sh`], env);
  const bin = join(h, ".local/bin/gastrolog");
  expect({ code: first.code, out: first.stdout.startsWith(versionLine()), warned: first.stderr.includes(`warning: ${h}/.local/bin is not on your PATH`) }).toEqual({ code: 0, out: true, warned: true });
  expect(binaryAgents(from)).toEqual(["curl"]);
  const inode = statSync(bin).ino;

  const version = await run([bin, "version"], env);
  const stats = await run([bin, "repl", "--embedded", "-c", "stats", "-c", "query error", log], { ...env, NO_COLOR: "1" });
  expect({ version: version.stdout.startsWith(versionLine()), records: /Records: +3\n/.test(stats.stdout), hits: stats.stdout.split("\n").filter((l) => l.includes("error")).length, code: stats.code }).toEqual({ version: true, records: true, hits: 2, code: 0 });

  const again = await run(["sh", "-c", `curl -fsSL ${srv.base}/install.sh | sh`], env);
  expect({ code: again.code, said: again.stderr.includes(`gastrolog ${rel.version} (${rel.target}) is already installed at ${bin}`), inode: statSync(bin).ino, downloads: binaryAgents(from).length }).toEqual({ code: 0, said: true, inode, downloads: 1 });
});

test.skipIf(!has("curl") || !has("setpriv") || !existsSync("/proc/self/exe"))("an upgrade while `gastrolog serve` runs from the installed file: the server keeps its old file and keeps serving, the new build is in place (needs curl, setpriv)", async () => {
  // The second release: the same version, built with another commit label, so its bytes and its
  // `version` line differ from the first one's.
  const upgrade = join(tmp.dir, "upgrade-release");
  cpSync(rel.dir, upgrade, { recursive: true });
  const file = `gastrolog-${rel.version}-${rel.target}`;
  const build = Bun.spawn(["bash", "scripts/build"], { cwd: ROOT, env: { ...process.env, GASTROLOG_OUT: join(upgrade, file), GASTROLOG_COMMIT: "upgrade-build" }, stdout: "ignore", stderr: "pipe" });
  const [built, buildErr] = await Promise.all([build.exited, new Response(build.stderr).text()]);
  expect({ code: built, err: built === 0 ? "" : buildErr }).toEqual({ code: 0, err: "" });
  const newSum = sha256(join(upgrade, file));
  const sums = readFileSync(join(upgrade, "SHA256SUMS"), "utf8").replace(`${sha256(rel.binary)}  ${file}`, `${newSum}  ${file}`);
  writeFileSync(join(upgrade, "SHA256SUMS"), sums);
  const upgradeSrv = serveDir(upgrade);

  const prefix = join(home("upgrade-home"), "p");
  const bin = join(prefix, "bin/gastrolog");
  const install = (base: string) => run(["sh", "-c", `curl -fsSL ${base}/install.sh | sh -s -- --prefix ${prefix}`], { GASTROLOG_BASE_URL: base, HOME: prefix });
  const data = serverDir();
  let server: ServeProc | undefined;
  try {
    expect((await install(srv.base)).code).toBe(0);
    const oldInode = statSync(bin).ino;
    server = await startServe(data.dir, [], bin);
    const ingest = createClient(IngestService, socketTransport(server.socket));
    await ingest.append({ records: [{ raw: new TextEncoder().encode("before the upgrade: error one") }] });

    const second = await install(upgradeSrv.base);
    expect({ code: second.code, out: second.stdout }).toEqual({ code: 0, out: `gastrolog ${rel.version} (bun ${Bun.version}, commit upgrade-build)\n` });
    expect({ replaced: statSync(bin).ino !== oldInode, sha256: sha256(bin), running: readlinkSync(`/proc/${server.proc.pid}/exe`) }).toEqual({ replaced: true, sha256: newSum, running: `${bin} (deleted)` });

    await ingest.append({ records: [{ raw: new TextEncoder().encode("after the upgrade: error two") }] });
    const q = await run([bin, "query", "--addr", server.socket, "error"], { AS_ROOT: "1" });
    expect({ code: q.code, lines: q.stdout.trim().split("\n").map((l) => l.split(" ").slice(2).join(" ")) }).toEqual({ code: 0, lines: ["before the upgrade: error one", "after the upgrade: error two"] });
    server.proc.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = undefined;
  } finally {
    server?.proc.kill("SIGKILL");
    upgradeSrv.stop();
    data.cleanup();
  }
}, 180_000);

describe("shells and downloaders", () => {
  const cases = [
    { name: "dash with curl", shell: "dash", fetch: "curl -fsSL", tools: () => [...TOOLS, "dash", "curl"], agent: "curl", needs: ["dash", "curl"] },
    { name: "dash without curl falls back to GNU wget", shell: "dash", fetch: "wget -qO-", tools: () => [...TOOLS, "dash", "wget"], agent: "Wget", needs: ["dash", "wget"] },
    { name: "busybox sh with only busybox applets (its wget)", shell: "sh", fetch: "wget -qO-", tools: () => [], agent: "Wget", needs: ["busybox"] },
  ];
  for (const c of cases) {
    test.skipIf(!c.needs.every(has))(`${c.name} (needs ${c.needs.join(", ")})`, async () => {
      const slug = c.name.replace(/\W+/g, "-");
      const path = c.needs.includes("busybox") ? await busyboxDir(`${slug}-bin`) : toolDir(`${slug}-bin`, c.tools());
      const prefix = join(home(`${slug}-home`), "opt");
      const from = srv.requests.length;
      const r = await run([join(path, c.shell), "-c", `${c.fetch} ${srv.base}/install.sh | ${c.shell} -s -- --version ${rel.version} --prefix ${prefix}`], { PATH: path, GASTROLOG_BASE_URL: srv.base, HOME: prefix });
      expect({ code: r.code, err: r.stderr.includes("error") ? r.stderr : false, out: r.stdout.startsWith(versionLine()), installed: existsSync(join(prefix, "bin/gastrolog")) }).toEqual({ code: 0, err: false, out: true, installed: true });
      expect(binaryAgents(from)).toEqual([c.agent]);
    });
  }
});

test.skipIf(process.getuid?.() !== 0 || !has("unshare") || !has("busybox"))("a glibc machine that also has musl's loader (Debian's musl package) gets the glibc build, even with only busybox on PATH (needs root, unshare, busybox)", async () => {
  // musl's loader appears in /lib only inside a private mount namespace (an overlay on the
  // directory /lib resolves to), so the machine itself is left alone.
  const lib = realpathSync("/lib");
  const upper = join(tmp.dir, "musl-overlay/upper");
  const work = join(tmp.dir, "musl-overlay/work");
  mkdirSync(upper, { recursive: true });
  mkdirSync(work);
  writeFileSync(join(upper, `ld-musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`), "");
  const path = await busyboxDir("glibc-with-musl-bin");
  const prefix = join(home("glibc-with-musl-home"), "p");
  const mount = `${Bun.which("mount")} -t overlay overlay -o lowerdir=${lib},upperdir=${upper},workdir=${work} ${lib} && ls ${lib}/ld-musl-* >&2 && exec "$@"`;
  const install = [SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", join(path, "sh"), "-c", `wget -qO- ${srv.base}/install.sh | sh -s -- --prefix ${prefix}`];
  const r = await run([Bun.which("unshare")!, "-m", "--propagation", "private", "/bin/sh", "-c", mount, "sh", ...install], { AS_ROOT: "1", PATH: path, GASTROLOG_BASE_URL: srv.base });
  expect({ code: r.code, musl: r.stderr.includes(`${lib}/ld-musl-`), err: r.stderr.includes("error") ? r.stderr : false, installed: existsSync(join(prefix, "bin/gastrolog")) }).toEqual({ code: 0, musl: true, err: false, installed: true });
});

describe("refusals", () => {
  const installer = () => readFileSync(join(rel.dir, "install.sh"), "utf8");
  test("an unknown version, a corrupted binary, another machine's target", async () => {
    const bad = join(tmp.dir, "corrupt-release");
    cpSync(rel.dir, bad, { recursive: true });
    const bytes = readFileSync(rel.binary);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(bad, `gastrolog-${rel.version}-${rel.target}`), bytes);
    const badSrv = serveDir(bad);
    const stubs = join(tmp.dir, "arm-musl-bin");
    mkdirSync(stubs);
    writeFileSync(join(stubs, "uname"), '#!/bin/sh\n[ "$1" = -m ] && echo aarch64 || echo Linux\n', { mode: 0o755 });
    writeFileSync(join(stubs, "ldd"), "#!/bin/sh\necho 'musl libc (aarch64)' >&2\nexit 1\n", { mode: 0o755 });
    const darwin = join(tmp.dir, "darwin-bin");
    mkdirSync(darwin);
    writeFileSync(join(darwin, "uname"), "#!/bin/sh\necho Darwin\n", { mode: 0o755 });
    try {
      const cases = [
        { name: "unknown version", base: srv.base, args: ["--version", "9.9.9"], path: "", err: `gastrolog 9.9.9 is not published for ${rel.target} at ${srv.base} (versions there: ${rel.version} )` },
        { name: "corrupted binary", base: badSrv.base, args: [], path: "", err: `checksum mismatch for gastrolog-${rel.version}-${rel.target} (expected ` },
        { name: "aarch64 musl machine", base: srv.base, args: [], path: stubs, err: `gastrolog ${rel.version} is not published for linux-arm64-musl at ${srv.base}` },
        { name: "not Linux", base: srv.base, args: [], path: darwin, err: "gastrolog is built for Linux only (this is Darwin)" },
        { name: "no such base URL", base: `${srv.base}/nowhere`, args: ["--version", "1.0.0"], path: "", err: `cannot download ${srv.base}/nowhere/SHA256SUMS (is version 1.0.0 published there?)` },
      ];
      for (const c of cases) {
        const prefix = join(home(`refuse-${c.name.replace(/\W+/g, "-")}`), "p");
        writeFileSync(join(tmp.dir, "install.sh"), installer());
        const r = await run(["sh", join(tmp.dir, "install.sh"), "--prefix", prefix, ...c.args], { GASTROLOG_BASE_URL: c.base, PATH: `${c.path ? c.path + ":" : ""}${process.env.PATH}` });
        const leftovers = existsSync(join(prefix, "bin")) ? readdirSync(join(prefix, "bin")) : [];
        expect({ name: c.name, code: r.code, said: r.stderr.includes(`error: ${c.err}`) ? c.err : r.stderr, leftovers }).toEqual({ name: c.name, code: 1, said: c.err, leftovers: [] });
      }
    } finally {
      badSrv.stop();
    }
  });
});

test.skipIf(process.getuid?.() !== 0 || !has("systemd-analyze"))("--install-service writes a unit for the installed binary that systemd-analyze accepts; --uninstall removes both (needs root, systemd)", async () => {
  const prefix = join(tmp.dir, "svc");
  const units = join(tmp.dir, "units");
  const env = { AS_ROOT: "1", GASTROLOG_BASE_URL: srv.base, GASTROLOG_UNIT_DIR: units, HOME: tmp.dir };
  const r = await run(["sh", join(ROOT, "install.sh"), "--prefix", prefix, "--install-service"], env);
  const unit = readFileSync(join(units, "gastrolog.service"), "utf8");
  expect({ code: r.code, exec: unit.split("\n").find((l) => l.startsWith("ExecStart=")) }).toEqual({ code: 0, exec: `ExecStart=${prefix}/bin/gastrolog serve --data /var/lib/gastrolog $GASTROLOG_OPTS` });
  copyFileSync(join(units, "gastrolog.service"), join(tmp.dir, "gastrolog.service"));
  const verify = await run(["systemd-analyze", "verify", join(tmp.dir, "gastrolog.service")], { AS_ROOT: "1" });
  expect({ code: verify.code, out: verify.stdout + verify.stderr }).toEqual({ code: 0, out: "" });

  const u = await run(["sh", join(ROOT, "install.sh"), "--prefix", prefix, "--uninstall"], env);
  expect({ code: u.code, bin: existsSync(join(prefix, "bin/gastrolog")), unit: existsSync(join(units, "gastrolog.service")) }).toEqual({ code: 0, bin: false, unit: false });
});

test.skipIf(!has("shellcheck"))("shellcheck -s sh finds nothing in install.sh (needs shellcheck)", async () => {
  expect(await run(["shellcheck", "-s", "sh", join(ROOT, "install.sh")], { AS_ROOT: "1" })).toEqual({ code: 0, stdout: "", stderr: "" });
});
