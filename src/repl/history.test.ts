import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { History, HISTORY_LIMIT, historyPath } from "./history.ts";

function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), "repl-hist-"));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

test("history skips blanks and consecutive duplicates, persists with mode 0600 and reloads", () => {
  using t = tempDir();
  const path = join(t.dir, "h");
  const h = new History(path);
  for (const l of ["query a", "query a", "", "next", "query a"]) h.add(l);
  expect(h.entries()).toEqual(["query a", "next", "query a"]);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(new History(path).newestFirst()).toEqual(["query a", "next", "query a"]);
});

test("history keeps the last 1000 lines", () => {
  using t = tempDir();
  const path = join(t.dir, "h");
  writeFileSync(path, Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => `cmd ${i}`).join("\n"));
  const h = new History(path);
  expect(h.entries().length).toBe(HISTORY_LIMIT);
  h.add("last");
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  expect({ n: lines.length, first: lines[0], last: lines.at(-1) }).toEqual({ n: HISTORY_LIMIT, first: "cmd 6", last: "last" });
});

test("historyPath prefers $GASTROLOG_HISTORY, else ~/.gastrolog_history", () => {
  expect([historyPath({ GASTROLOG_HISTORY: "/x/h", HOME: "/home/u" }), historyPath({ HOME: "/home/u" })]).toEqual(["/x/h", "/home/u/.gastrolog_history"]);
});

test("an unreadable history path starts empty and never throws", () => {
  const h = new History("/nonexistent-dir/x/h");
  h.add("query");
  expect(h.entries()).toEqual(["query"]);
});
