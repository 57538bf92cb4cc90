/**
 * Stats in aggregation workers (app/aggregate-pool.ts + aggregate-worker.ts, real Bun Workers
 * over a real file store with several sealed chunks and an active one): the same tables as the
 * in-thread path for every function and grouping, a job's error (too many groups) as the same
 * error, a timeout keeping what finished, a client cancel stopping the running worker, and a
 * worker that throws or dies failing the query with a clear error instead of hanging.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AggregatePool, parallelBytes, queryWorkers } from "../src/app/aggregate-pool.ts";
import { searchSource } from "../src/app/search-source.ts";
import { indexSectionBuilders } from "../src/index/builders.ts";
import { LogError } from "../src/core/errors.ts";
import { tableQuery, type TableQueryOptions } from "../src/query/engine/aggregate/table-query.ts";
import type { ChunkPartials } from "../src/query/engine/aggregate/partials.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import type { SearchSource } from "../src/query/engine/source.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import type { FileStore } from "../src/storage/file/file-store.ts";
import type { RecordInput } from "../src/core/record.ts";
import { runBinary } from "./support/binary.ts";

const T0 = Date.UTC(2025, 0, 1) * 1000;
const LEVELS = ["INFO", "WARN", "ERROR", "DEBUG"];
const N = 12_000;

function records(): RecordInput[] {
  return Array.from({ length: N }, (_, i) => ({
    raw: new TextEncoder().encode(`level=${LEVELS[i % 4]} request ${i % 97 === 0 ? "4242 " : ""}host=web-${(i * 7) % 5} ms=${(i * 37) % 1000} user=u${i % 211}`),
    sourceTs: T0 + i * 1_000_000,
    ingestTs: T0 + i * 1_000_000 + 5,
    attrs: { file: `f${i % 3}` },
  }));
}

let dir = "";
let store: FileStore;
let pool: AggregatePool;
let inThread: SearchSource;
let parallel: SearchSource;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aggw-"));
  store = await openFileStore(join(dir, "s"), { rotation: { maxRecords: 2500 }, sectionBuilders: indexSectionBuilders(), durability: { kind: "never" } });
  const input = records();
  for (let i = 0; i < input.length; i += 1000) await store.append(input.slice(i, i + 1000));
  await store.idle();
  pool = new AggregatePool(2, 0);
  inThread = searchSource("default", store);
  parallel = searchSource("default", store, pool.forStore((id) => store.segmentPath(id)));
});

afterAll(async () => {
  await pool.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(src: SearchSource, line: string, opts: TableQueryOptions = {}) {
  const q = parseQueryArgs(line, 0);
  return tableQuery([src], { expr: q.expr, start: q.start, end: q.end, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages, { parallel: "always", ...opts });
}

/**
 * The pool's ChunkPartials with `first(job)` called on the first job handed to it; the later
 * jobs wait for the first to finish when `holdRest` (so the test knows what ran before it acts).
 */
function watched(first: (job: Promise<unknown>) => void, holdRest = false): SearchSource {
  const inner = pool.forStore((id) => store.segmentPath(id));
  let firstJob: Promise<unknown> | undefined;
  const partials: ChunkPartials = {
    workers: inner.workers,
    minBytes: 0,
    run(job, signal) {
      if (firstJob === undefined) {
        const p = inner.run(job, signal);
        firstJob = p;
        first(p);
        return p;
      }
      return holdRest ? firstJob.then(() => inner.run(job, signal)) : inner.run(job, signal);
    },
  };
  return searchSource("default", store, partials);
}

describe("stats in aggregation workers", () => {
  test("the store has sealed chunks and an active one", () => {
    const states = store.chunks().map((c) => c.state);
    expect(states.filter((s) => s === "sealed").length).toBeGreaterThanOrEqual(4);
    expect(states.at(-1)).toBe("active");
  });

  const LINES = [
    "* | stats count()",
    "4242 | stats count()",
    "* | stats count() by bin(5m)",
    "request | stats count(), count_distinct(user), min(ms), max(_time), sum(ms), avg(ms), quantile(0.9, ms) by host",
    "level=ERROR OR level=WARN | where ms>500 | stats count(), avg(ms) by level, bin(1h)",
    "* | timechart 7 by host",
    "nomatchword | stats count() by host",
  ];
  for (const line of LINES) {
    test(`same table in workers as in-thread: ${line}`, async () => {
      const want = await run(inThread, line, { parallel: "never" });
      const got = await run(parallel, line);
      expect(got).toEqual(want);
      if (!line.startsWith("nomatchword")) expect(got.table.rows.length).toBeGreaterThan(0);
    });
  }

  test("a worker's error reaches the query as the same error", async () => {
    const line = "* | stats count() by user";
    const message = (src: SearchSource, o: TableQueryOptions) => run(src, line, { maxGroups: 10, ...o }).then(() => "no error", (e: LogError) => `${e.code}: ${e.message}`);
    const want = await message(inThread, { parallel: "never" });
    expect(want).toStartWith("limit: stats made more than 10 groups");
    expect(await message(parallel, {})).toBe(want);
  });

  test("a timeout stops the workers and keeps the partials finished so far", async () => {
    const timeout = new AbortController();
    const src = watched((job) => void job.then(() => timeout.abort(new LogError("deadline_exceeded", "query timed out after 1ms"))), true);
    const { table, done } = await run(src, "* | stats count()", { signal: timeout.signal });
    expect(done.deadline).toBe("query timed out after 1ms");
    // The first sealed chunk was merged, the other sealed ones never ran; the active one (here) may have finished.
    const [first, ...rest] = store.chunks();
    const active = rest.filter((c) => c.state === "active").reduce((n, c) => n + c.records, 0);
    expect([first!.records, first!.records + active]).toContain(table.rows[0]![0] as number);
  });

  test("a client cancel fails the query at once and stops the running job; the pool serves the next query", async () => {
    const cancel = new AbortController();
    const src = watched(() => cancel.abort());
    const err = await run(src, "request | stats count() by host", { signal: cancel.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "cancelled" });
    expect(await run(parallel, "* | stats count()")).toEqual(await run(inThread, "* | stats count()", { parallel: "never" }));
  });
});

describe("a failing worker", () => {
  const fixture = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `declare const self: Worker;\n${body}\n`);
    return Bun.pathToFileURL(path).href;
  };
  for (const [name, body, why] of [
    ["throws.ts", `self.onmessage = () => { throw new Error("boom in job"); };`, "boom in job"],
    ["exits.ts", `self.onmessage = () => process.exit(3);`, "worker exited"],
  ] as const) {
    test(`fails the query with a clear error, not a hang (${name})`, async () => {
      const bad = new AggregatePool(2, 0, fixture(name, body));
      try {
        const src = searchSource("default", store, bad.forStore((id) => store.segmentPath(id)));
        const err = await run(src, "* | stats count()").catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LogError);
        expect((err as LogError).code).toBe("internal");
        expect((err as LogError).message).toContain(`aggregation worker failed (`);
        expect((err as LogError).message).toContain(why);
      } finally {
        await bad.close();
      }
    });
  }
});

test("worker count from the environment, else the config, else the cores; size threshold from the environment", () => {
  expect(queryWorkers({}, 0, 2)).toBe(2);
  expect(queryWorkers({}, 0, 16)).toBe(4);
  expect(queryWorkers({}, 8, 2)).toBe(8);
  expect(queryWorkers({ GASTROLOG_QUERY_WORKERS: "1" }, 8, 16)).toBe(1);
  expect(() => queryWorkers({ GASTROLOG_QUERY_WORKERS: "two" })).toThrow("GASTROLOG_QUERY_WORKERS must be a whole number of workers, 1 or more (1: aggregate in-thread), got 'two'");
  expect(parallelBytes({})).toBe(32 << 20);
  expect(parallelBytes({ GASTROLOG_QUERY_PARALLEL_BYTES: "1MB" })).toBe(1 << 20);
});

test("the compiled binary runs its aggregation workers (an extra entry point) and answers as in-thread", async () => {
  const data = join(dir, "bin-data");
  const log = join(dir, "bin.log");
  writeFileSync(log, Array.from({ length: 600 }, (_, i) => `2025-03-01T10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z level=${LEVELS[i % 4]} host=web-${i % 3} ms=${(i * 37) % 1000}`).join("\n") + "\n");
  expect((await runBinary(["config", "set", "--data", data, "stores[default].rotation.maxRecords=100"])).code).toBe(0);
  expect(await runBinary(["import", "--data", data, "--quiet", log])).toMatchObject({ code: 0, stderr: "" });
  const query = (workers: string) => runBinary(["query", "--data", data, "--output", "json", "level=ERROR OR level=WARN | stats count(), sum(ms), quantile(0.5, ms) by host"], { env: { GASTROLOG_QUERY_WORKERS: workers, GASTROLOG_QUERY_PARALLEL_BYTES: "0" } });
  const want = await query("1");
  expect(want).toMatchObject({ code: 0, stderr: "" });
  expect(want.stdout.trim().split("\n")).toHaveLength(3);
  expect(await query("2")).toEqual(want);
}, 300_000);

test("a store's stats need 8 times more bytes to start the workers than to use them once running", async () => {
  const fresh = new AggregatePool(2, 1000);
  try {
    const partials = fresh.forStore((id) => store.segmentPath(id));
    expect(partials.minBytes).toBe(8000);
    await run(searchSource("default", store, partials), "* | stats count()");
    expect(partials.minBytes).toBe(1000);
  } finally {
    await fresh.close();
  }
});
