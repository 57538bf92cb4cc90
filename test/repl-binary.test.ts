/**
 * `gastrolog repl` as a compiled binary: -c and piped-stdin scripts in embedded mode (exit codes,
 * EOF, JSON output), and the same command set in client mode against a served binary (Unix
 * socket and HTTP) giving the same query answers as embedded mode over the same file.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FORMAT_FIELDS } from "../src/index/format-fields.ts";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

let dir: string;
let file: string;
let srv: ServeProc;
let cleanupSrv: () => void;

/** 40 lines with RFC 3339 times (no year guessing), a few levels and key=value pairs. */
function fixtureLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const t = new Date(Date.UTC(2025, 2, 1, 10, 0, i)).toISOString();
    const level = i % 10 === 3 ? "ERROR" : i % 7 === 0 ? "WARN" : "INFO";
    lines.push(`${t} ${level} svc=api req=${i} ${level === "ERROR" ? "upstream timeout" : "request served"}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The command set both modes must run successfully, and whose query answers must agree. */
const SCRIPT = ["set pager=3", "query error", "query request", "next", "next 2", "reset", "explain error", "store default", "set", "chunks", "stats", "status", "receivers", "analyze", "help"];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repl-bin-"));
  file = join(dir, "app.log");
  writeFileSync(file, fixtureLog());
  const d = serverDir();
  cleanupSrv = d.cleanup;
  const imported = await runBinary(["import", "--quiet", "--data", join(d.dir, "data"), file]);
  expect(imported.code).toBe(0);
  srv = await startServe(d.dir);
});

afterAll(async () => {
  srv.proc.kill("SIGTERM");
  await srv.exited;
  cleanupSrv();
  rmSync(dir, { recursive: true, force: true });
});

/** The query/next answers of a transcript (record lines and paging lines only). */
function answers(out: string): string[] {
  return out.split("\n").filter((l) => /^\d{4}-\d\d-\d\dT/.test(l) || l.startsWith("--- "));
}

test("-c runs commands in order in embedded mode and exits 0", async () => {
  const r = await runBinary(["repl", "--embedded", "-c", "set pager=2", "-c", "query error", "-c", "next", file]);
  expect({ code: r.code, out: r.stdout }).toEqual({
    code: 0,
    out: [
      "Pager set to 2.",
      "2025-03-01T10:00:03.000000Z file=app.log 2025-03-01T10:00:03.000Z ERROR svc=api req=3 upstream timeout",
      "2025-03-01T10:00:13.000000Z file=app.log 2025-03-01T10:00:13.000Z ERROR svc=api req=13 upstream timeout",
      "--- 2 records shown. Use 'next' for more. ---",
      "2025-03-01T10:00:23.000000Z file=app.log 2025-03-01T10:00:23.000Z ERROR svc=api req=23 upstream timeout",
      "2025-03-01T10:00:33.000000Z file=app.log 2025-03-01T10:00:33.000Z ERROR svc=api req=33 upstream timeout",
      // The page is full and the server has not yet said "done": the REPL does not wait to find out.
      "--- 2 records shown. Use 'next' for more. ---",
      "",
    ].join("\n"),
  });
});

test("piped stdin: one command per line, exits at EOF; a failed command makes the exit code 1", async () => {
  const ok = await runBinary(["repl", "--embedded", file], { stdin: "query req=7\n\n# a comment\nstore\n" });
  expect({ code: ok.code, out: ok.stdout, err: ok.stderr }).toEqual({
    code: 0,
    out: "2025-03-01T10:00:07.000000Z file=app.log 2025-03-01T10:00:07.000Z WARN svc=api req=7 request served\n--- 1 records (end of results) ---\nCurrent store: default\n",
    err: "",
  });
  const bad = await runBinary(["repl", "--embedded", file], { stdin: "stats\nfrobnicate\nstore default" });
  expect({ code: bad.code, err: bad.stderr }).toEqual({ code: 1, err: "Unknown command: frobnicate. Type 'help' for commands.\n" });
  const empty = await runBinary(["repl", "--embedded", file], { stdin: "" });
  expect({ code: empty.code, out: empty.stdout }).toEqual({ code: 0, out: "" });
});

test("-c with standard input an open pipe (`sleep 3 | gastrolog repl -c ...`) exits without reading or waiting for it", async () => {
  // The writer end stays open, unwritten, until the child has exited on its own.
  const proc = Bun.spawn([await gastrologBinary(), "repl", "--embedded", "-c", "query req=7", file], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [code, out] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
  proc.stdin.end();
  expect({ code, out }).toEqual({ code: 0, out: "2025-03-01T10:00:07.000000Z file=app.log 2025-03-01T10:00:07.000Z WARN svc=api req=7 request served\n--- 1 records (end of results) ---\n" });
});

test("--output json prints one JSON object per record and keeps messages off stdout", async () => {
  const r = await runBinary(["repl", "--embedded", "--output", "json", "-c", "query error limit=3", file]);
  const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  expect({ code: r.code, raws: rows.map((x) => x.raw), err: r.stderr }).toEqual({
    code: 0,
    raws: ["2025-03-01T10:00:03.000Z ERROR svc=api req=3 upstream timeout", "2025-03-01T10:00:13.000Z ERROR svc=api req=13 upstream timeout", "2025-03-01T10:00:23.000Z ERROR svc=api req=23 upstream timeout"],
    err: "--- 3 records (end of results) ---\n",
  });
});

test("the same command set passes in embedded and client mode (socket and HTTP) with the same answers", async () => {
  const args = SCRIPT.flatMap((c) => ["-c", c]);
  const runs = {
    embedded: await runBinary(["repl", "--embedded", ...args, file]),
    socket: await runBinary(["repl", srv.socket, ...args]),
    unix: await runBinary(["repl", `unix:${srv.socket}`, "-c", "query error"]),
    http: await runBinary(["repl", `http://${srv.http}`, ...args]),
  };
  const codes = Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { code: r.code, err: r.stderr }]));
  expect(codes).toEqual({ embedded: { code: 0, err: "" }, socket: { code: 0, err: "" }, unix: { code: 0, err: "" }, http: { code: 0, err: "" } });
  const embedded = answers(runs.embedded.stdout);
  expect(embedded.length).toBe(15);
  expect(answers(runs.socket.stdout)).toEqual(embedded);
  expect(answers(runs.http.stdout)).toEqual(embedded);
  expect(runs.socket.stdout).toContain("System Statistics:");
  expect(runs.socket.stdout).toContain("Index Analysis (1 chunks)");
});

test("client mode with nothing listening says so and exits 1", async () => {
  const r = await runBinary(["repl", join(dir, "none.sock"), "-c", "stats"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`no GastroLog server at unix:${join(dir, "none.sock")}: the socket does not exist`);
  const http = await runBinary(["repl", "http://127.0.0.1:1", "-c", "stats"]);
  expect(http.code).toBe(1);
  expect(http.stderr).toContain("no GastroLog server answers at http://127.0.0.1:1");
});

test("config and retention in client mode against a served binary, and in embedded --data mode", async () => {
  const client = await runBinary([
    "repl",
    srv.socket,
    "-c",
    "config set server.logLevel=warn -m quieter",
    "-c",
    "retention set default maxChunks=5",
    "-c",
    "config history 2",
    "-c",
    "retention",
    "-c",
    "retention sweep",
    "-c",
    "config diff 1 2",
  ]);
  expect({ code: client.code, err: client.stderr }).toEqual({ code: 0, err: "" });
  const lines = client.stdout.split("\n");
  expect({
    set: lines.filter((l) => /^version \d+ · .* · local · /.test(l)).map((l) => l.replace(/ · .* UTC/, "")),
    diff: lines.filter((l) => l.startsWith("~ ")),
    history: lines.filter((l) => /^\s+\d+  /.test(l)).map((l) => l.trim().split(/\s{2,}/).slice(2)),
    policy: lines.find((l) => l.startsWith("default ")),
    sweep: lines.find((l) => l.includes("chunk(s) deleted")),
  }).toEqual({
    set: ['version 1 · local · "quieter"', 'version 2 · local · "retention set default maxChunks=5"'],
    diff: ['~ server.logLevel: "info" -> "warn"', "~ stores[default].retention.maxChunks: 0 -> 5", "~ stores[default].retention.maxChunks: 0 -> 5"],
    history: [["local", "apply", "1", "retention set default maxChunks=5"], ["local", "apply", "1", "quieter"]],
    policy: "default  0        0          5",
    sweep: "swept 1 store(s) (default): 0 chunk(s) deleted",
  });

  const data = join(dir, "embedded-data");
  const embedded = await runBinary(["repl", "--embedded", "--data", data, "-c", "config set stores[default].retention.maxAge=30d -m month", "-c", "config rollback 0", "-c", "config history"]);
  expect({ code: embedded.code, err: embedded.stderr }).toEqual({ code: 0, err: "" });
  expect(embedded.stdout.split("\n").filter((l) => l.startsWith("~ ") || /^\s+\d+  /.test(l)).map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, "T"))).toEqual([
    '~ stores[default].retention.maxAge: "0" -> "30d"',
    '~ stores[default].retention.maxAge: "30d" -> "0"',
    "      2  T  in-process  rollback→0  1        rollback to version 0",
    "      1  T  in-process  apply       1        month",
  ]);
});

test("analyze and indexes of one chunk work in client mode (GetIndexStats over the socket)", async () => {
  const listed = await runBinary(["repl", srv.socket, "-c", "chunks"]);
  const id = /([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}) .*\[sealed\]/.exec(listed.stdout)?.[1];
  expect(id).toBeDefined();
  const r = await runBinary(["repl", srv.socket, "-c", `analyze ${id}`, "-c", `indexes ${id}`]);
  expect({ code: r.code, err: r.stderr }).toEqual({ code: 0, err: "" });
  const lines = r.stdout.split("\n");
  expect({
    records: lines.find((l) => l.startsWith("  Records:")),
    coverage: lines.find((l) => l.includes("coverage:"))?.trim(),
    topKeys: lines.filter((l) => l.includes("top keys:")).length,
    token: lines.find((l) => l.startsWith("  token:  "))?.replace(/, [\d.]+ [KM]?B {2}/, " "),
  }).toEqual({ records: "  Records:   40", coverage: "coverage:         100.0% of records (40 of 40)", topKeys: 2 + FORMAT_FIELDS.length, token: expect.stringMatching(/^ {2}token: {2}\d+ tokens, \d+ positions \[complete\]$/) });
});
