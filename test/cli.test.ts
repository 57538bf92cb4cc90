/**
 * The compiled executable end to end: version, help, usage errors (exit 2), import from files,
 * .gz and stdin into a file store (seals in the worker, indexes built), query in text and JSON,
 * paging with --resume, context, explain and analyze, and a second process locked out.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { acquireLock } from "../src/storage/file/lock.ts";
import { runBinary } from "./support/binary.ts";

let dir = "";
let data = "";

const APP_LOG = [
  "2025-03-01T10:00:00Z INFO service started port=8080",
  "2025-03-01T10:00:01Z ERROR connection refused host=db-1",
  "2025-03-01T10:00:02Z WARN slow query duration_ms=1200",
  "2025-03-01T10:00:03Z error Timeout talking to cafe.example.com",
  "2025-03-01T10:00:04Z INFO request done status=200",
].join("\n");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-"));
  data = join(dir, "data");
  writeFileSync(join(dir, "app.log"), APP_LOG + "\n");
  writeFileSync(join(dir, "more.log.gz"), gzipSync("Mar  1 10:00:05 web-1 sshd[42]: error: PAM authentication failure\n"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gastrolog executable", () => {
  test("version names the gastrolog, bun and commit", async () => {
    const r = await runBinary(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gastrolog \d+\.\d+\.\d+ \(bun 1\.4\.4, commit [0-9a-f]{12}(-dirty)?\)\n$/);
  });

  test("help lists commands; unknown commands and flags exit 2", async () => {
    const help = await runBinary(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("import ");
    expect(help.stdout).toContain("query ");
    const q = await runBinary(["query", "--help"]);
    expect(q.stdout).toContain("--explain");
    expect(await runBinary(["frobnicate"])).toMatchObject({ code: 2, stderr: "gastrolog: unknown command 'frobnicate'. Run 'gastrolog --help' for the list.\n" });
    expect((await runBinary(["query", "--bogus"])).code).toBe(2);
    expect((await runBinary(["import", "--data", data])).stderr).toContain("no FILE given");
    const timeout = await runBinary(["serve", "--data", data, "--shutdown-timeout", "1.5s"]);
    expect({ code: timeout.code, first: timeout.stderr.split("\n")[0] }).toEqual({
      code: 2,
      first: "gastrolog serve: invalid flag --shutdown-timeout '1.5s': expected a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m",
    });
  });

  test("import reads files, .gz and stdin, seals and reports", async () => {
    const r = await runBinary(["import", "--data", data, join(dir, "app.log"), join(dir, "more.log.gz"), "-"], { stdin: "from stdin error 1\nfrom stdin 2" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("records     8 ");
    expect(r.stdout).toContain("timestamped 6 (75.0%)");
  });

  test("query prints matches in storage order as text and JSON", async () => {
    const text = await runBinary(["query", "--data", data, "error"]);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split("\n").map((l) => l.replace(/^\S+ \S+ /, ""))).toEqual([
      "2025-03-01T10:00:01Z ERROR connection refused host=db-1",
      "2025-03-01T10:00:03Z error Timeout talking to cafe.example.com",
      "Mar  1 10:00:05 web-1 sshd[42]: error: PAM authentication failure",
      "from stdin error 1",
    ]);
    const json = await runBinary(["query", "--data", data, "--output", "json", "host=db-1"]);
    const rows = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ time: "2025-03-01T10:00:01.000000Z", raw: "2025-03-01T10:00:01Z ERROR connection refused host=db-1", attrs: { file: "app.log" }, position: 1 });
    expect(rows[0].chunk).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("unindexed words, phrases and time bounds", async () => {
    const q = async (...args: string[]) => (await runBinary(["query", "--data", data, "--output", "json", ...args])).stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l).raw);
    expect(await q("cafe")).toEqual(["2025-03-01T10:00:03Z error Timeout talking to cafe.example.com"]);
    expect(await q('"connection refused"')).toEqual(["2025-03-01T10:00:01Z ERROR connection refused host=db-1"]);
    expect(await q("start=2025-03-01T10:00:01Z end=2025-03-01T10:00:03Z")).toEqual([
      "2025-03-01T10:00:01Z ERROR connection refused host=db-1",
      "2025-03-01T10:00:02Z WARN slow query duration_ms=1200",
    ]);
    expect(await q("--reverse", "--limit", "2", "info")).toEqual(["2025-03-01T10:00:04Z INFO request done status=200", "2025-03-01T10:00:00Z INFO service started port=8080"]);
  });

  test("paging with --resume continues after the last match", async () => {
    const first = await runBinary(["query", "--data", data, "--limit", "2", "error"]);
    const token = /--resume (\S+)/.exec(first.stderr)![1]!;
    const next = await runBinary(["query", "--data", data, "--limit", "2", "--resume", token, "error"]);
    expect(next.stdout.trim().split("\n").map((l) => l.slice(l.lastIndexOf(" ") + 1))).toEqual(["failure", "1"]);
  });

  test("context records are indented", async () => {
    const r = await runBinary(["query", "--data", data, "-C", "1", "slow"]);
    expect(r.stdout.split("\n").filter(Boolean).map((l) => (l.startsWith("  ") ? "ctx" : "hit"))).toEqual(["ctx", "hit", "ctx"]);
  });

  test("explain and analyze show the index plan", async () => {
    const e = await runBinary(["query", "--data", data, "--explain", "error -timeout"]);
    expect(e.stdout).toContain("[indexed] reason=indexed");
    expect(e.stdout).toContain("reason=negative_predicate");
    const a = await runBinary(["query", "--data", data, "--analyze", "error"]);
    expect(a.stdout).toMatch(/Actual: scanned \d+, matched 4, /);
  });

  test("a query while another process writes the store answers as of now and says who writes it, on stderr only", async () => {
    const [text, json] = [await runBinary(["query", "--data", data, "error"]), await runBinary(["query", "--data", data, "--output", "json", "error"])];
    const lock = acquireLock(join(data, "stores", "default"));
    try {
      const notice = `gastrolog query: store 'default' is being written by pid ${process.pid} (since ${JSON.parse(readFileSync(join(data, "stores", "default", ".lock"), "utf8")).startedAt}): results are as of now, without what it writes later\n`;
      const [t, j] = [await runBinary(["query", "--data", data, "error"]), await runBinary(["query", "--data", data, "--output", "json", "error"])];
      expect([t, j]).toEqual([
        { code: 0, stdout: text.stdout, stderr: notice },
        { code: 0, stdout: json.stdout, stderr: notice },
      ]);
    } finally {
      lock.release();
    }
  });

  test("a bad query is a usage error with the position", async () => {
    const r = await runBinary(["query", "--data", data, "(error"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("parse error at position 0: unmatched opening parenthesis");
  });
});
