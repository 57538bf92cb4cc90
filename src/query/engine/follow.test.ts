import { expect, test } from "bun:test";
import { parseExpr } from "../lang/parser.ts";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { tempDir } from "../../storage/file/test-helpers.ts";
import { openTextFileStore } from "../../storage/textfile/text-store.ts";
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

test("follow starts at the end of a text store without counting or opening its old regions", async () => {
  using d = tempDir();
  const path = join(d.path, "big.log");
  writeFileSync(path, Array.from({ length: 3000 }, (_, i) => `${i + 1} old line ${i}\n`).join(""));
  const leadingSeconds = (buf: Uint8Array, start: number, end: number) => {
    let n = 0;
    let i = start;
    while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) n = n * 10 + buf[i++]! - 0x30;
    return i > start && n > 0 ? n * 1e6 : 0;
  };
  const store = openTextFileStore("file", [path], { follow: true, regionBytes: 4096, parseTimestamp: leadingSeconds });
  const old = new Set(store.chunks().map((c) => c.id));
  expect(old.size).toBeGreaterThan(10);
  // Every way follow could read an old region: its count through the chunk listing, or opening it.
  const read = new Set<string>();
  const watched = new Proxy(store, {
    get(target, key) {
      if (key === "open") return (id: string) => (read.add(id), target.open(id));
      if (key === "chunks") return () => target.chunks().map((m) => new Proxy(m, { get: (t, k) => (k === "records" && read.add(t.id), Reflect.get(t, k)) }));
      const v = Reflect.get(target, key);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const ac = new AbortController();
  const it = follow({ name: "file", store: watched, indexes: () => undefined }, {}, ac.signal);
  const first = it.next();
  appendFileSync(path, "5000 live line\n");
  const hit = await first;
  ac.abort();
  await it.return(undefined);
  await store.close();
  expect(hit.done ? undefined : new TextDecoder().decode(hit.value.record.raw)).toBe("5000 live line");
  expect([...read].filter((id) => old.has(id))).toEqual([]);
});
