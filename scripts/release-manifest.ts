/**
 * Writes DIR/manifest.json for scripts/release from DIR/SHA256SUMS: name, version, commit,
 * commit time and Bun version, and per target its file, sha256 and size. No clock time, so the
 * manifest of two builds of one commit is identical too.
 *   bun scripts/release-manifest.ts DIR VERSION COMMIT COMMIT_TIME TARGET,TARGET...
 */

import { join } from "node:path";

const [dir, version, commit, commitTime, targets] = process.argv.slice(2);
if (!targets) throw new Error("usage: release-manifest.ts DIR VERSION COMMIT COMMIT_TIME TARGETS");
const sums = new Map(
  (await Bun.file(join(dir!, "SHA256SUMS")).text())
    .trim()
    .split("\n")
    .map((line) => {
      const [sha256, file] = line.split(/\s+\*?/);
      return [file!, sha256!] as const;
    }),
);
const manifest = {
  name: "gastrolog",
  version,
  commit,
  commitTime,
  bun: Bun.version,
  targets: targets.split(",").map((target) => {
    const file = `gastrolog-${version}-${target}`;
    return { target, file, sha256: sums.get(file), bytes: Bun.file(join(dir!, file)).size };
  }),
};
await Bun.write(join(dir!, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
