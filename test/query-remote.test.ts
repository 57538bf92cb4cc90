/**
 * `gastrolog query` against a running server (compiled binary): with `serve` holding the data
 * dir, `query --data DIR` (found through server.json), `--addr unix:SOCK` and `--addr http://`
 * print exactly what local mode prints on a copy of the same data (text, --raw, JSON, CSV and
 * text tables, regexes, reverse, limit + resume, context, explain, analyze, `--store '*'`, which
 * merges stores, and the same errors: query syntax, a bad regex, an unknown store, limits);
 * unreachable --addr exits 1.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, type RunResult } from "./support/binary.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";

const { dir, cleanup } = serverDir();
const copy = join(dir, "copy");
let srv: ServeProc;

const LEVELS = ["INFO", "ERROR", "WARN", "DEBUG", "error"];
/** `n` lines a second apart from `startSec`, on three hosts, some with a timeout. */
function lines(n: number, startSec: number, tag: string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date((1_740_823_200 + startSec + i * 2) * 1000).toISOString();
    out.push(`${t} ${LEVELS[i % LEVELS.length]} ${tag} request ${i} host=web-${i % 3}${i % 7 === 0 ? " timeout talking to db" : ""}`);
  }
  return out.join("\n") + "\n";
}

beforeAll(async () => {
  const data = join(dir, "data");
  writeFileSync(join(dir, "a.log"), lines(40, 0, "api"));
  writeFileSync(join(dir, "b.log"), lines(15, 100, "api"));
  writeFileSync(join(dir, "w.log"), lines(20, 1, "web"));
  for (const [store, file, extra] of [["default", "a.log", []], ["default", "b.log", ["--keep-active"]], ["web", "w.log", []]] as const) {
    const r = await runBinary(["import", "--data", data, "--store", store, "--quiet", ...extra, join(dir, file)]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
  }
  const config = join(dir, "gastrolog.json");
  writeFileSync(config, JSON.stringify({ stores: [{ name: "default", route: "+" }, { name: "web", route: "+" }] }));
  expect(await runBinary(["config", "apply", "--data", data, config])).toMatchObject({ code: 0, stderr: "" });
  cpSync(data, copy, { recursive: true });
  srv = await startServe(dir, ["--config", config]);
});

afterAll(async () => {
  srv.proc.kill("SIGTERM");
  await srv.exited;
  cleanup();
});

/**
 * Analyze timings differ run to run, and index bytes read depend on what the process cache
 * already holds (a one-shot local process reads, a warm server may not); everything else must not.
 */
const maskMillis = (r: RunResult): RunResult => ({
  ...r,
  stdout: r.stdout
    .replace(/, \d+\.\d\d ms \(planning and index lookups \d+\.\d\d ms, index read \d+ bytes in \d+ reads\)/g, ", T ms (planning T, index reads N)")
    .replace(/, \d+ index bytes read,/g, ", N index bytes read,")
    .replace(/"(millis|planMillis|indexBytes|indexReads)":[0-9.e-]+/g, '"$1":T'),
});

function modes(): Record<string, string[]> {
  return { auto: ["--data", srv.dataDir], unix: ["--addr", `unix:${srv.socket}`], http: ["--addr", `http://${srv.http}`] };
}

const CASES: string[][] = [
  ["error"],
  ["--output", "json", "host=web-1"],
  ["--reverse", "error OR warn"],
  ["--limit", "3", "error"],
  ["--limit", "4", "--reverse", "--output", "json", "request"],
  ["-C", "1", "timeout"],
  ["-B", "2", "--output", "json", "timeout"],
  ["--store", "web", "--output", "json", "start=2025-03-01T10:00:10Z end=2025-03-01T10:00:30Z"],
  ["--store", "*", "--limit", "7", "request"],
  ["--store", "*", "--explain", "timeout"],
  ["--explain", "error -timeout"],
  ["--explain", "--output", "json", "host=web-2 OR ab OR (timeout -warn)"],
  ["--analyze", "error"],
  ["error | stats count(), min(_time) by host"],
  ["--output", "csv", "* | stats count() by bin(10s) | where count=5"],
  ["--store", "*", "--output", "json", "| stats count(), count_distinct(host) by host | sort -count"],
  ["--store", "*", "request | fields _time, host | head 3"],
  ["--analyze", "--output", "json", "--limit", "2", "error"],
  ["--raw", "--reverse", "timeout"],
  ["/time(out)? talking/ | stats count() by host"],
  ["(error"],
  ["/timeout (/"],
  ["--store", "nope", "error"],
  ["--limit", "99999999999", "error"],
  ["error limit=99999999999"],
];

/** Exit codes other than 0: usage and query-text errors. */
const FAILS: Record<string, number> = { "(error": 2, "/timeout (/": 2, "--store nope error": 1, "--limit 99999999999 error": 2, "error limit=99999999999": 2 };

test("every mode against the server prints exactly what local mode prints on a copy", async () => {
  for (const args of CASES) {
    const local = maskMillis(await runBinary(["query", "--data", copy, ...args]));
    expect({ args, code: local.code }).toEqual({ args, code: FAILS[args.join(" ")] ?? 0 });
    const remote: Record<string, RunResult> = {};
    for (const [name, flags] of Object.entries(modes())) remote[name] = maskMillis(await runBinary(["query", ...flags, ...args]));
    expect({ args, ...remote } as Record<string, unknown>).toEqual({ args, auto: local, unix: local, http: local });
  }
}, 30_000);

test("a resume token from either mode continues the same way in every mode", async () => {
  const first = await runBinary(["query", "--addr", srv.socket, "--limit", "5", "request"]);
  const token = /--resume (\S+)/.exec(first.stderr)?.[1];
  expect(token).toBeDefined();
  const local = await runBinary(["query", "--data", copy, "--limit", "5", "request"]);
  expect(local).toEqual(first);
  const next = ["--limit", "5", "--resume", token!, "request"];
  const expected = await runBinary(["query", "--data", copy, ...next]);
  expect(expected.stdout.split("\n").filter(Boolean).length).toBe(5);
  for (const flags of Object.values(modes())) expect(await runBinary(["query", ...flags, ...next])).toEqual(expected);
});

test("--store '*' merges every store by event time, locally as through the server", async () => {
  const raws = (r: RunResult) => r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { time: string; store: string; raw: string });
  const perStore = [...raws(await runBinary(["query", "--data", copy, "-o", "json", "request"])), ...raws(await runBinary(["query", "--data", copy, "-s", "web", "-o", "json", "request"]))];
  const merged = perStore.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.store < b.store ? -1 : 1));
  expect(new Set(merged.map((h) => h.store))).toEqual(new Set(["default", "web"]));
  for (const data of [srv.dataDir, copy]) {
    const all = await runBinary(["query", "--data", data, "--store", "*", "-o", "json", "request"]);
    expect({ data, code: all.code, hits: raws(all) }).toEqual({ data, code: 0, hits: merged });
  }
});

test("nothing listening at --addr is a clear error with exit code 1", async () => {
  const sock = join(dir, "nobody.sock");
  const cases = [`unix:${sock}`, sock, "http://127.0.0.1:1"];
  for (const addr of cases) {
    const r = await runBinary(["query", "--addr", addr, "error"]);
    expect({ code: r.code, stdout: r.stdout, reaches: r.stderr.startsWith(`gastrolog query: cannot reach the server at ${addr}: `) }).toEqual({ code: 1, stdout: "", reaches: true });
  }
});
