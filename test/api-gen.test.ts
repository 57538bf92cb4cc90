/** src/api/gen/ is generated from proto/ by scripts/gen and committed: fail when it is stale. */

import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

function files(dir: string, out = new Map<string, string>(), base = dir): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out, base);
    else out.set(relative(base, p), readFileSync(p, "utf8"));
  }
  return out;
}

test("committed generated code matches proto/ (run `bun run gen` to update)", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "gen-"));
  try {
    const out = join(tmp, "gen");
    const p = Bun.spawn(["bash", "scripts/gen", out], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
    expect([code, err]).toEqual([0, ""]);
    const fresh = files(out);
    const committed = files(join(ROOT, "src/api/gen"));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect({ name, text: committed.get(name) }).toEqual({ name, text });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
