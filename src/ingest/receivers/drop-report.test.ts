/** Drop reports: the first drop at once with its detail, a flood tallied into one line a second. */

import { expect, test } from "bun:test";
import { until } from "../test-support.ts";
import { DROP_REPORT_MS, DropReport } from "./drop-report.ts";

test("first drop at once, then one tallied line per second; flush reports the rest", () => {
  let now = 10_000;
  const lines: string[] = [];
  const r = new DropReport((m) => lines.push(m), () => now);
  r.add("oversize", 1, 2048, "GELF message from 10.0.0.1 too long");
  r.add("oversize", 1, 100);
  r.add("queue_full", 3, 30);
  r.add("oversize", 0, 50);
  now += DROP_REPORT_MS;
  r.flush();
  r.flush();
  now += DROP_REPORT_MS;
  r.add("truncated", 1, 7, "cut");
  expect(lines).toEqual([
    "dropped input: oversize 1 (2048 bytes): GELF message from 10.0.0.1 too long",
    "dropped input since the last report: oversize 1 (150 bytes), queue_full 3 (30 bytes)",
    "dropped input: truncated 1 (7 bytes): cut",
  ]);
});

test("a tally is reported by its timer without further drops", async () => {
  const lines: string[] = [];
  const r = new DropReport((m) => lines.push(m));
  r.add("protocol", 1, 5, "bad frame");
  r.add("protocol", 1, 6);
  expect(lines).toEqual(["dropped input: protocol 1 (5 bytes): bad frame"]);
  await until(() => lines.length === 2, 5000);
  expect(lines[1]).toBe("dropped input since the last report: protocol 1 (6 bytes)");
});
