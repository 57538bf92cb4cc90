/** Telemetry: every event counted and remembered; logged once per key per interval with a tally. */

import { expect, test } from "bun:test";
import { createLogger } from "./logger.ts";
import { Telemetry } from "./telemetry.ts";

test("repeats of one key within the interval are counted, not logged; the next line says how many", () => {
  let now = 1_000_000_000;
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", format: "json", write: (l) => lines.push(JSON.parse(l)), clock: () => now });
  const t = new Telemetry(logger, { intervalMs: 1000, clock: () => now });
  t.report("query_error", "search:invalid_argument", "search failed: bad query", { query: "a=" });
  now += 100_000;
  t.report("query_error", "search:invalid_argument", "search failed: bad query 2", { query: "b=" });
  t.report("query_error", "search:internal", "search failed: boom", { query: "c" });
  now += 1_000_000;
  t.report("query_error", "search:invalid_argument", "search failed: bad query 3", { query: "d=" });
  t.report("message_drop", "unrouted", "3 record(s) matched no store", { reason: "unrouted" }, 3);
  expect(lines.map((l) => ({ level: l.level, msg: l.msg, event: l.event, query: l.query }))).toEqual([
    { level: "error", msg: "search failed: bad query", event: "query_error", query: "a=" },
    { level: "error", msg: "search failed: boom", event: "query_error", query: "c" },
    { level: "error", msg: "search failed: bad query 3 (+1 more since the last report)", event: "query_error", query: "d=" },
    { level: "warn", msg: "3 record(s) matched no store", event: "message_drop", query: undefined },
  ]);
  expect(t.snapshot()).toEqual([
    { kind: "message_drop", count: 3, lastMessage: "3 record(s) matched no store", lastAt: now, context: { reason: "unrouted" } },
    { kind: "index_build_failure", count: 0, lastMessage: "", lastAt: 0, context: {} },
    { kind: "query_error", count: 4, lastMessage: "search failed: bad query 3", lastAt: now, context: { query: "d=" } },
  ]);
});

test("note() counts and remembers without logging", () => {
  const lines: string[] = [];
  const t = new Telemetry(createLogger({ level: "debug", format: "text", write: (l) => lines.push(l) }), { clock: () => 5 });
  t.note("index_build_failure", "index build failed: boom", { store: "web", chunk: "c1" });
  expect(lines).toEqual([]);
  expect(t.snapshot()[1]).toEqual({ kind: "index_build_failure", count: 1, lastMessage: "index build failed: boom", lastAt: 5, context: { store: "web", chunk: "c1" } });
});
