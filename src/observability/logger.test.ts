/** Logger: level filtering, component names, JSON and text line shapes. */

import { expect, test } from "bun:test";
import { createLogger, formatLine, isLogLevel } from "./logger.ts";

const TS = Date.UTC(2025, 2, 1, 10, 0, 0) * 1000 + 123456;

test("lines in both formats", () => {
  const cases = [
    { format: "json" as const, fields: { port: 4564, addr: "127.0.0.1" }, want: '{"ts":"2025-03-01T10:00:00.123456Z","level":"info","component":"server","msg":"listening","port":4564,"addr":"127.0.0.1"}\n' },
    { format: "text" as const, fields: { port: 4564, why: "two words", empty: "" }, want: '2025-03-01T10:00:00.123456Z INFO  [server] listening port=4564 why="two words" empty=""\n' },
    { format: "json" as const, fields: { msg: "shadow", skip: undefined }, want: '{"ts":"2025-03-01T10:00:00.123456Z","level":"info","component":"server","msg":"listening"}\n' },
  ];
  for (const c of cases) expect(formatLine(c.format, TS, "info", "server", "listening", c.fields)).toEqual(c.want);
});

test("levels below the minimum are dropped; children are named", () => {
  const lines: string[] = [];
  const root = createLogger({ level: "warn", format: "json", write: (l) => lines.push(l), clock: () => TS });
  const store = root.child("store");
  const seal = store.child("seal");
  store.info("hidden");
  store.warn("shown");
  seal.error("bad", { chunk: "c1" });
  expect(lines.map((l) => JSON.parse(l))).toEqual([
    { ts: "2025-03-01T10:00:00.123456Z", level: "warn", component: "store", msg: "shown" },
    { ts: "2025-03-01T10:00:00.123456Z", level: "error", component: "store.seal", msg: "bad", chunk: "c1" },
  ]);
  expect([isLogLevel("debug"), isLogLevel("trace")]).toEqual([true, false]);
});
