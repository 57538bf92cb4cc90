import { expect, test } from "bun:test";
import { parseExpr } from "../lang/parser.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { follow, followWheres } from "./follow.ts";
import { parseQueryArgs } from "../lang/controls.ts";
import type { SearchHit } from "./types.ts";

const enc = new TextEncoder();
const rec = (s: string) => ({ raw: enc.encode(s), attrs: {}, sourceTs: 0, ingestTs: 1 });

test("follow streams only new matching records across rotations and seals until aborted", async () => {
  const store = createMemoryStore("default", { rotation: { maxRecords: 3 } });
  await store.append([rec("error old"), rec("info old")]);
  const ac = new AbortController();
  const seen: string[] = [];
  const it = follow({ name: "default", store, indexes: () => undefined }, { expr: parseExpr("error") }, ac.signal);
  const consumer = (async () => {
    for await (const h of it as AsyncIterable<SearchHit>) {
      seen.push(new TextDecoder().decode(h.record.raw));
      if (seen.length === 4) ac.abort();
    }
  })();
  // Appends that rotate (maxRecords 3) and an explicit seal in between.
  await store.append([rec("error 1"), rec("info 2"), rec("error 3")]);
  await store.seal();
  await store.append([rec("ERROR 4"), rec("debug 5")]);
  await store.append([rec("error 5"), rec("error 6")]);
  await consumer;
  expect(seen).toEqual(["error 1", "error 3", "ERROR 4", "error 5"]);
  expect(store.chunks().length).toBeGreaterThan(2);
});

test("follow ends promptly when aborted while idle", async () => {
  const store = createMemoryStore("default", {});
  const ac = new AbortController();
  const it = follow({ name: "default", store, indexes: () => undefined }, {}, ac.signal);
  const next = it.next();
  ac.abort();
  expect((await next).done).toBe(true);
});

test("follow takes | where, then | fields and | rename; other stages and orders are refused with why", () => {
  const stages = (q: string) => parseQueryArgs(q, 0).stages;
  expect(followWheres(stages("| where a | where b | fields x | rename x as y")).length).toBe(2);
  const why = (q: string) => {
    try {
      followWheres(stages(q));
      return "ok";
    } catch (err) {
      return (err as Error).message.split(": ")[1]!.split(" (")[0];
    }
  };
  expect(["| sort x", "| head 3", "| rename a as b", "| fields a | where b", "| timechart 5"].map(why)).toEqual([
    "| sort needs every record before it answers",
    "| head is not available in follow",
    "| rename needs | fields before it",
    "| where must come before | fields",
    "| timechart needs every record before it answers",
  ]);
});
