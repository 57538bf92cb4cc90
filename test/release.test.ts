/**
 * scripts/release for the native target: the files it writes, a manifest and SHA256SUMS that
 * agree with them, and a binary whose `version` names the release's version and commit.
 * Reproducibility (two builds, same bytes) is checked for every target in release-cross.test.ts.
 */

import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { nativeRelease } from "./support/release.ts";
import { serverDir } from "./support/server.ts";

const ROOT = resolve(import.meta.dir, "..");
const sha256 = (path: string) => new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex");

test("release files, manifest, checksums and version agree", async () => {
  const rel = await nativeRelease();
  const file = `gastrolog-${pkg.version}-${rel.target}`;
  const manifest = JSON.parse(readFileSync(join(rel.dir, "manifest.json"), "utf8"));
  const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT }).stdout.toString().trim();
  expect(readdirSync(rel.dir).sort()).toEqual(["SHA256SUMS", file, "gastrolog.service", "install.sh", "manifest.json"]);
  expect({ ...manifest, commit: manifest.commit.replace(/-dirty$/, ""), commitTime: typeof manifest.commitTime }).toEqual({
    name: "gastrolog",
    version: pkg.version,
    commit,
    commitTime: "string",
    bun: Bun.version,
    targets: [{ target: rel.target, file, sha256: sha256(rel.binary), bytes: readFileSync(rel.binary).length }],
  });
  expect(readFileSync(join(rel.dir, "SHA256SUMS"), "utf8")).toBe(
    [file, "install.sh", "gastrolog.service"].map((f) => `${sha256(join(rel.dir, f))}  ${f}\n`).join(""),
  );
  const version = Bun.spawnSync([rel.binary, "version"]).stdout.toString();
  expect(version).toBe(`gastrolog ${pkg.version} (bun ${Bun.version}, commit ${manifest.commit})\n`);
});

test("unknown targets and arguments are refused", async () => {
  const cases = [
    { args: ["--targets", "linux-riscv64"], err: "release: unknown target 'linux-riscv64' (linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl)\n" },
    { args: ["--fast"], err: "release: unknown argument '--fast' (--targets LIST, --out DIR)\n" },
  ];
  for (const c of cases) {
    const d = serverDir();
    const p = Bun.spawn(["bash", "scripts/release", ...c.args, "--out", join(d.dir, "r")], { cwd: ROOT, stdout: "ignore", stderr: "pipe" });
    const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
    d.cleanup();
    expect({ code, err }).toEqual({ code: 2, err: c.err });
  }
});

test("--out naming a directory or file of the user's is refused and left as it was; an unknown target leaves an old release alone", async () => {
  const d = serverDir();
  try {
    const mine = join(d.dir, "mine.txt");
    const release = join(d.dir, "release");
    await Bun.write(mine, "keep me\n");
    await Bun.write(join(release, "manifest.json"), "{}\n");
    const cases = [
      { args: ["--targets", "linux-x64", "--out", d.dir], err: `release: ${d.dir} is not empty and holds no release (manifest.json); pass a new or empty --out\n` },
      { args: ["--targets", "linux-x64", "--out", mine], err: `release: ${mine} exists and is not a directory; pass a new or empty --out\n` },
      { args: ["--targets", "linux-x64,linux-riscv64", "--out", release], err: "release: unknown target 'linux-riscv64' (linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl)\n" },
    ];
    for (const c of cases) {
      const p = Bun.spawn(["bash", "scripts/release", ...c.args], { cwd: ROOT, stdout: "ignore", stderr: "pipe" });
      const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
      expect({ code, err, kept: readFileSync(mine, "utf8"), release: readdirSync(release) }).toEqual({ code: 2, err: c.err, kept: "keep me\n", release: ["manifest.json"] });
    }
  } finally {
    d.cleanup();
  }
});
