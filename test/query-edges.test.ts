/**
 * Query language edges through the compiled executable (issue 10, item 7): one rule for limit
 * in query text and flags, bounds given backwards are an error with the position, and
 * --explain never calls a chunk both "[overlaps]" and "outside time range".
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gastrologBinary, runBinary } from "./support/binary.ts";

let dir = "";
let data = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "qedge-"));
  data = join(dir, "data");
  const log = ["2025-03-01T10:00:00Z INFO a", "2025-03-01T10:00:01Z ERROR b", "2025-03-01T10:00:02Z INFO c"].join("\n");
  writeFileSync(join(dir, "app.log"), log + "\n");
  expect((await runBinary(["import", "-q", "--data", data, join(dir, "app.log")])).code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = (...args: string[]) => runBinary(["query", "--data", data, ...args]);

test.each([
  ["limit=-1 in text", ["limit=-1"]],
  ["--limit -1", ["--limit", "-1", ""]],
  ["limit=1.5 in text", ["limit=1.5"]],
  ["--limit 1.5", ["--limit", "1.5", ""]],
  ["limit=abc in text", ["limit=abc"]],
  ["--limit abc", ["--limit", "abc", ""]],
  ["--limit 1e3", ["--limit", "1e3", ""]],
  ["--context 0x2", ["--context", "0x2", ""]],
])("%s is refused by the same rule", async (_name, args) => {
  const r = await query(...args);
  expect({ code: r.code, out: r.stdout, rule: r.stderr.includes("whole number ≥ 0") }).toEqual({ code: 2, out: "", rule: true });
});

test("limit=0 and --limit 0 both mean unlimited", async () => {
  // stdout to a file: what a pipe gets when the process exits is issue 9's business, not this test's
  const lines = async (...args: string[]) => {
    const out = join(dir, `out-${args.length}.txt`);
    const p = Bun.spawn([await gastrologBinary(), "query", "--data", data, ...args], { stdout: Bun.file(out), stderr: "ignore" });
    expect(await p.exited).toBe(0);
    return readFileSync(out, "utf8").trim().split("\n").length;
  };
  expect([await lines("limit=0"), await lines("--limit", "0", "")]).toEqual([3, 3]);
});

test.each([
  ["start after end", "start=2025-03-01T10:00:02Z end=2025-03-01T10:00:01Z", 31],
  ["end before start, written first", "end=2025-03-01T10:00:01Z error start=2025-03-01T10:00:02Z", 4],
  ["start equal to end", "start=2025-03-01T10:00:01Z end=2025-03-01T10:00:01Z", 31],
])("%s is an error with the position", async (_name, text, position) => {
  const r = await query(text);
  expect({ code: r.code, out: r.stdout, position: /parse error at position (\d+): end= \S+ is not after start= /.exec(r.stderr)?.[1] }).toEqual({
    code: 2,
    out: "",
    position: String(position),
  });
});

test("--explain: a chunk outside the time range says so, and is skipped for that reason", async () => {
  for (const q of ["start=2026-01-01T00:00:00Z error", "end=2025-01-01T00:00:00Z", "start=2025-03-01T10:00:01Z end=2025-03-01T10:00:02Z"]) {
    const r = await query("--explain", q);
    expect(r.code).toBe(0);
    const chunks = r.stdout.split(/\nChunk \d+: /).slice(1);
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) {
      const overlap = /\[(inside|overlaps|outside|unbounded)\]/.exec(c)?.[1];
      const outsideSkip = c.includes("Chunk skipped: outside time range");
      expect({ q, overlap, outsideSkip }).toEqual({ q, overlap: outsideSkip ? "outside" : "overlaps", outsideSkip: q !== "start=2025-03-01T10:00:01Z end=2025-03-01T10:00:02Z" });
    }
  }
});
