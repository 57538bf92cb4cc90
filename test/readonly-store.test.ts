/**
 * A store whose sealed segments are read-only (mode 0444, in a 0555 directory) and owned by
 * another user is searchable: the compiled binary, run as a user that may not write them
 * (`nobody` through setpriv when the test runs as root, else the current user), answers the
 * same as their owner and leaves them untouched. Segments used to be mapped O_RDWR (EACCES).
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";

const LOG = Array.from({ length: 400 }, (_, i) => `2025-03-01T10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z ${i % 5 === 0 ? "ERROR" : "INFO"} request ${i} user=u${i % 7}`).join("\n") + "\n";

const root = process.getuid?.() === 0;
/** uid/gid of `nobody`, when this process may switch to it. */
const nobody = root && Bun.which("setpriv") !== null ? { uid: 65534, gid: 65534 } : undefined;

let dir = "";
let data = "";
let store = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readonly-"));
  data = join(dir, "data");
  writeFileSync(join(dir, "app.log"), LOG);
  const r = await runBinary(["import", "--data", data, "--quiet", join(dir, "app.log")]);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  store = join(data, "stores", "default");
  const sealed = join(store, "sealed");
  for (const f of readdirSync(sealed)) chmodSync(join(sealed, f), 0o444);
  chmodSync(sealed, 0o555);
  if (nobody) {
    // The querying user owns the store directory (lock, catalog) but not the segments; every
    // directory on the way, and the binary, must be reachable by it.
    for (const d of [dir, data, join(data, "stores")]) chmodSync(d, 0o755);
    for (const f of [store, ...readdirSync(store).filter((n) => n !== "sealed").map((n) => join(store, n))]) chownSync(f, nobody.uid, nobody.gid);
    chmodSync(dirname(await gastrologBinary()), 0o755);
  }
});

afterAll(() => {
  chmodSync(join(store, "sealed"), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the binary as the reading user: nobody when root, else this user. */
async function asReader(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!nobody) return runBinary(args);
  const proc = Bun.spawn(["setpriv", `--reuid=${nobody.uid}`, `--regid=${nobody.gid}`, "--clear-groups", await gastrologBinary(), ...args], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "", HOME: dir, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

test(`read-only segments owned by another user are searchable (reader: ${nobody ? "nobody via setpriv" : "the current non-root user"})`, async () => {
  if (root && !nobody) throw new Error("running as root without setpriv: cannot switch to an unprivileged user (install util-linux)");
  const sealed = join(store, "sealed");
  const before = readdirSync(sealed).map((f) => statSync(join(sealed, f))).map((s) => [s.mode & 0o777, s.uid, s.mtimeMs]);
  const got = await asReader(["query", "--data", data, "error"]);
  const analyze = await asReader(["query", "--data", data, "--analyze", "user=u3 error"]);
  const after = readdirSync(sealed).map((f) => statSync(join(sealed, f))).map((s) => [s.mode & 0o777, s.uid, s.mtimeMs]);
  expect({
    code: got.code,
    stderr: got.stderr,
    matches: got.stdout.split("\n").filter((l) => l.includes("ERROR")).length,
    analyze: [analyze.code, analyze.stdout.includes("[indexed]")],
    segments: before.length >= 1,
    unchanged: after,
  }).toEqual({
    code: 0,
    stderr: "",
    matches: 80,
    analyze: [0, true],
    segments: true,
    unchanged: before,
  });
  expect(before.every(([mode]) => mode === 0o444)).toBe(true);
});
