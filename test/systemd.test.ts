/**
 * deploy/systemd/gastrolog.service: `systemd-analyze verify` accepts it (with ExecStart pointed
 * at a freshly built binary, since verify checks that the command exists) and `systemd-analyze
 * security` rates its exposure; the score is printed and must stay at or below 2.0 ("OK").
 */

import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gastrologBinary } from "./support/binary.ts";
import { serverDir } from "./support/server.ts";

const UNIT = resolve(import.meta.dir, "../deploy/systemd/gastrolog.service");
const ANALYZE = Bun.which("systemd-analyze");

async function analyze(args: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([ANALYZE!, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: out + err };
}

test.skipIf(!ANALYZE)("the unit verifies and its security exposure is at most 2.0 (needs systemd)", async () => {
  const d = serverDir();
  try {
    const unit = join(d.dir, "gastrolog.service");
    writeFileSync(unit, readFileSync(UNIT, "utf8").replace("/usr/local/bin/gastrolog", await gastrologBinary()));
    expect(await analyze(["verify", unit])).toEqual({ code: 0, out: "" });
    const sec = await analyze(["security", "--offline=true", "--threshold=20", unit]);
    const score = /Overall exposure level for gastrolog.service: ([\d.]+)/.exec(sec.out)?.[1];
    console.log(`systemd-analyze security: exposure ${score} (0 = locked down, 10 = unprotected)`);
    expect({ code: sec.code, ok: Number(score) <= 2.0 }).toEqual({ code: 0, ok: true });
  } finally {
    d.cleanup();
  }
});
