/**
 * Memory while streaming a large result into a slow reader (compiled binary, issue 11 part 1):
 * `gastrolog query --output json` of every record of a 500k-line store, its stdout a pipe to a
 * child reading 64 KiB per millisecond, with a process cache big enough to hold the whole
 * store. The peak RSS of the gastrolog process (VmHWM) must stay far below what keeping the
 * decoded store would take: a scan that reads each block once keeps none of them.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateCorpus } from "../scripts/gen-corpus.ts";
import { gastrologBinary, runBinary } from "./support/binary.ts";
import { until } from "./support/until.ts";

const READER = resolve(import.meta.dir, "support/slow-reader.ts");
/** ~58 MB of log lines, ~200 MB of JSON output. */
const LINES = 500_000;
/** Generous: a process that kept the decoded store would pass 200 MB. */
const PEAK_RSS_BOUND_MB = 150;

let dir = "";
let data = "";
let rawBytes = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "output-memory-"));
  const log = join(dir, "big.log");
  const fd = openSync(log, "w");
  generateCorpus(1, LINES, (b) => writeSync(fd, b));
  closeSync(fd);
  rawBytes = statSync(log).size;
  data = join(dir, "data");
  expect(await runBinary(["import", "--quiet", "--data", data, "--year", "2024", log])).toMatchObject({ code: 0, stderr: "" });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Peak RSS (VmHWM) of a live process in MB, 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

test("streaming every record into a slow pipe keeps the query's memory flat", async () => {
  const out = join(dir, "reader.json");
  // bash execs into gastrolog, so the spawned pid is the query itself; its stdout is the reader's pipe.
  const p = Bun.spawn(["bash", "-c", `exec "$@" > >(exec "$BUN" "$READER" 1 65536 > "$OUT")`, "bash", await gastrologBinary(), "query", "--data", data, "--output", "json"], {
    env: { ...process.env, BUN: process.execPath, READER, OUT: out, GASTROLOG_CACHE_SIZE: "1GB" },
    stdout: "ignore",
    stderr: "pipe",
  });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakRssMb(p.pid))), 20);
  const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  clearInterval(poll);
  await until(() => existsSync(out) && readFileSync(out, "utf8").endsWith("}\n"), { what: "the reader's summary" });
  const got = JSON.parse(readFileSync(out, "utf8")) as { bytes: number; lines: number };
  expect({ code, stderr, lines: got.lines }).toEqual({ code: 0, stderr: "", lines: LINES });
  expect(got.bytes).toBeGreaterThan(3 * rawBytes);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThan(PEAK_RSS_BOUND_MB);
}, 120_000);
