/**
 * scripts/release for all four targets (the cross-compiled ones fetch their Bun runtime from npm
 * once, then it is cached): two builds of one commit write the same SHA256SUMS, so every target
 * is reproducible, not only the native one; and the linux-arm64 binary runs, under
 * qemu-aarch64-static with Debian's arm64 glibc as its root, answering `version` and an embedded
 * query exactly as the x64 binary does; so do both musl binaries, on musl's own loader with the
 * libstdc++ linked for musl (Debian ships none). The roots come from scripts/fetch-cross-roots
 * (.ci/install-deps).
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

const LOG_LINES = "Jan  1 00:00:01 host app: one error\nJan  1 00:00:02 host app[12]: two status=200\nJan  1 00:00:03 host app: three error code=7\n";

async function run(argv: string[], env: Record<string, string> = {}) {
  const p = Bun.spawn(argv, { env: { PATH: process.env.PATH!, HOME: tmp.dir, NO_COLOR: "1", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** `launch` (the argv that runs another target's binary) answers `version` and an embedded query exactly as the x64 binary does. */
async function expectSameAnswersAsX64(launch: string[], env: Record<string, string> = {}) {
  const log = join(tmp.dir, "app.log");
  writeFileSync(log, LOG_LINES);
  const args = ["repl", "--embedded", "-c", "stats", "-c", "query error", "-c", "query status=200 OR code=7", log];
  const x64 = join(first, `gastrolog-${pkg.version}-linux-x64`);
  const native = await run([x64, ...args]);
  expect({ code: native.code, records: /Records: +3\n/.test(native.stdout), hits: native.stdout.match(/--- 2 records/g)?.length, stderr: native.stderr }).toEqual({ code: 0, records: true, hits: 2, stderr: "" });
  expect(await run([...launch, ...args], env)).toEqual(native);
  const version = await run([...launch, "version"], env);
  expect(version).toEqual({ code: 0, stdout: (await run([x64, "version"])).stdout, stderr: "" });
  expect(version.stdout).toStartWith(`gastrolog ${pkg.version} (bun ${Bun.version}, commit `);
}

test.skipIf(process.arch !== "x64" || !QEMU || !existsSync(join(SYSROOT, "lib/ld-linux-aarch64.so.1")))(
  "the linux-arm64 binary under qemu answers version and an embedded query like the x64 binary (needs qemu-aarch64-static, .tools/arm64-sysroot)",
  () => expectSameAnswersAsX64([QEMU!, "-L", SYSROOT, join(first, `gastrolog-${pkg.version}-linux-arm64`)]),
  120_000,
);

const MUSL_TARGETS = [
  { target: "linux-x64-musl", root: join(ROOT, ".tools/musl-x64/lib"), loader: "ld-musl-x86_64.so.1", emulator: [] as string[], needs: ".tools/musl-x64" },
  { target: "linux-arm64-musl", root: join(ROOT, ".tools/musl-arm64/lib"), loader: "ld-musl-aarch64.so.1", emulator: QEMU ? [QEMU] : [], needs: "qemu-aarch64-static, .tools/musl-arm64" },
];
for (const m of MUSL_TARGETS) {
  test.skipIf(process.arch !== "x64" || !existsSync(join(m.root, "libstdc++.so.6")) || (m.target.includes("arm64") && !QEMU))(
    `the ${m.target} binary on musl's loader answers version and an embedded query like the x64 binary (needs ${m.needs})`,
    async () => {
      const binary = join(first, `gastrolog-${pkg.version}-${m.target}`);
      const launch = [...m.emulator, join(m.root, m.loader), binary];
      // Without a libstdc++ it cannot start: that is the one library it needs besides musl.
      const bare = await run([...launch, "version"]);
      expect({ code: bare.code, err: bare.stderr.split("\n")[0] }).toEqual({ code: 127, err: `Error loading shared library libstdc++.so.6: No such file or directory (needed by ${binary})` });
      await expectSameAnswersAsX64(launch, { LD_LIBRARY_PATH: m.root });
    },
    120_000,
  );
}
