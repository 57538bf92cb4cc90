/**
 * scripts/release for all four targets (the cross-compiled ones fetch their Bun runtime from npm
 * once, then it is cached): two builds of one commit write the same SHA256SUMS, so every target
 * is reproducible, not only the native one; and the linux-arm64 binary runs, under
 * qemu-aarch64-static with Debian's arm64 glibc as its root (scripts/fetch-arm64-sysroot, from
 * .ci/install-deps), answering `version` and an embedded query exactly as the x64 binary does.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { buildRelease } from "./support/release.ts";
import { serverDir } from "./support/server.ts";

const ROOT = resolve(import.meta.dir, "..");
const TARGETS = ["linux-x64", "linux-arm64", "linux-x64-musl", "linux-arm64-musl"];
const QEMU = Bun.which("qemu-aarch64-static");
const SYSROOT = join(ROOT, ".tools/arm64-sysroot");
const BUILD_MS = 600_000;

let tmp: { dir: string; cleanup: () => void };
let first: string;
let second: string;

beforeAll(async () => {
  tmp = serverDir();
  first = join(tmp.dir, "first");
  second = join(tmp.dir, "second");
  await buildRelease(TARGETS, first);
  await buildRelease(TARGETS, second);
}, BUILD_MS);

afterAll(() => tmp?.cleanup());

const sums = (dir: string) => readFileSync(join(dir, "SHA256SUMS"), "utf8");

test("two builds of one commit give the same sha256 for every target", () => {
  const files = sums(first).trim().split("\n").map((l) => l.split(/ +/)[1]);
  expect(files).toEqual([...TARGETS.map((t) => `gastrolog-${pkg.version}-${t}`), "install.sh", "gastrolog.service"]);
  expect(sums(second)).toBe(sums(first));
});

test.skipIf(process.arch !== "x64" || !QEMU || !existsSync(join(SYSROOT, "lib/ld-linux-aarch64.so.1")))(
  "the linux-arm64 binary under qemu answers version and an embedded query like the x64 binary (needs qemu-aarch64-static, .tools/arm64-sysroot)",
  async () => {
    const log = join(tmp.dir, "app.log");
    writeFileSync(log, "Jan  1 00:00:01 host app: one error\nJan  1 00:00:02 host app[12]: two status=200\nJan  1 00:00:03 host app: three error code=7\n");
    const args = ["repl", "--embedded", "-c", "stats", "-c", "query error", "-c", "query status=200 OR code=7", log];
    const run = async (argv: string[]) => {
      const p = Bun.spawn(argv, { env: { PATH: process.env.PATH!, HOME: tmp.dir, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { code, stdout, stderr };
    };
    const x64 = join(first, `gastrolog-${pkg.version}-linux-x64`);
    const arm64 = [QEMU!, "-L", SYSROOT, join(first, `gastrolog-${pkg.version}-linux-arm64`)];
    const native = await run([x64, ...args]);
    expect({ code: native.code, records: /Records: +3\n/.test(native.stdout), stderr: native.stderr }).toEqual({ code: 0, records: true, stderr: "" });
    expect(await run([...arm64, ...args])).toEqual(native);
    const version = await run([...arm64, "version"]);
    expect(version).toEqual({ code: 0, stdout: (await run([x64, "version"])).stdout, stderr: "" });
    expect(version.stdout).toStartWith(`gastrolog ${pkg.version} (bun ${Bun.version}, commit `);
  },
  120_000,
);
