/**
 * Output into pipes, as scripts use it (compiled binary): every command that prints a lot
 * delivers exactly what it writes to a file when its reader is slow (a child reading 1 KiB
 * every 2 ms), and a reader that stops early (`| head -1`) ends the command quietly with
 * status 0 — for query, repl -c and config export.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";

const READER = resolve(import.meta.dir, "support/slow-reader.ts");
let dir = "";
let data = "";
let log = "";
let configData = "";

/** ~600 KB of JSON output: far more than a pipe buffer holds. */
const LINES = 4000;
/** A config whose export is ~100 KB. */
const STORES = 400;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pipes-"));
  data = join(dir, "data");
  log = join(dir, "app.log");
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(`2025-03-01T10:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z INFO request ${i} served in ${i % 97} ms host=web-${i % 5}`);
  writeFileSync(log, lines.join("\n") + "\n");
  expect(await runBinary(["import", "--quiet", "--data", data, log])).toMatchObject({ code: 0, stderr: "" });
  configData = join(dir, "config-data");
  const stores = Array.from({ length: STORES }, (_, i) => ({ name: `store-${i}`, route: `host=web-${i}`, retention: { maxAge: "7d" } }));
  const config = join(dir, "many-stores.json");
  writeFileSync(config, JSON.stringify({ stores }));
  expect(await runBinary(["config", "apply", "--data", configData, config])).toMatchObject({ code: 0, stderr: "" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cases(): Record<string, string[]> {
  return {
    "query --output json": ["query", "--data", data, "--output", "json", "request"],
    "repl --embedded -c": ["repl", "--embedded", "-c", "set pager=0", "-c", "query request", log],
    "config export": ["config", "export", "--data", configData],
  };
}

/** Runs `gastrolog ARGS | TAIL` in bash; the binary's exit code, its stderr and the pipe's output. */
async function pipeline(args: string[], tail: string): Promise<{ code: number; stderr: string; out: string }> {
  const err = join(dir, "stderr.txt");
  const p = Bun.spawn(["bash", "-c", `"$@" 2>"$ERR" | ${tail}; exit "\${PIPESTATUS[0]}"`, "bash", await gastrologBinary(), ...args], {
    env: { ...process.env, NO_COLOR: "1", ERR: err, BUN: process.execPath, READER },
    stdout: "pipe",
    stderr: "inherit",
  });
  const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
  return { code, stderr: readFileSync(err, "utf8"), out };
}

/** What the command writes to a file: bytes, lines and digest (as the slow reader reports them). */
async function toFile(args: string[]): Promise<{ bytes: number; lines: number; sha256: string; first: string }> {
  const out = join(dir, "out.txt");
  const r = await pipeline(args, `cat > "${out}"`);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  const bytes = readFileSync(out);
  const lines = bytes.toString("utf8").split("\n").length - 1;
  return { bytes: bytes.length, lines, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex"), first: bytes.toString("utf8").split("\n")[0]! + "\n" };
}

describe("output into pipes", () => {
  test.each(Object.keys(cases()))("%s: a slow reader gets every byte a file gets", async (name) => {
    const args = cases()[name]!;
    const file = await toFile(args);
    expect(file.bytes).toBeGreaterThan(64 << 10);
    const slow = await pipeline(args, `"$BUN" "$READER" 2`);
    expect({ code: slow.code, stderr: slow.stderr, got: JSON.parse(slow.out) }).toEqual({ code: 0, stderr: "", got: { bytes: file.bytes, lines: file.lines, sha256: file.sha256 } });
  });

  test.each(Object.keys(cases()))("%s: `| head -1` ends it quietly with status 0", async (name) => {
    const args = cases()[name]!;
    const file = await toFile(args);
    const head = await pipeline(args, "head -1");
    expect(head).toEqual({ code: 0, stderr: "", out: file.first });
  });
});
