import { describe, expect, test } from "bun:test";
import { parseQueryArgs } from "../lang/controls.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import type { ChunkStore } from "../../storage/types.ts";
import { oracleInTime, oracleMatches } from "../../../test/support/oracle.ts";
import type { LogRecord } from "../../core/record.ts";
import { search } from "./search.ts";
import type { SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";

const enc = new TextEncoder();
const LINES = [
  "ERROR connection refused host=web-1",
  "info request done status=200 path=/api/v1/users",
  "WARN disk 95% full on /dev/sda1",
  "error: Timeout waiting for cafe.example.com after 30s",
  "Level=Error msg=boom user_id=42",
  "debug heartbeat ok",
  "Fehler: Datei zu groß",
  "GET /x?id=42 HTTP/1.1 200 5123",
  "supercalifragilisticexpialidocious word",
  "192.168.1.100:8080 connect",
];

async function fill(store: ChunkStore, sealEvery: number): Promise<void> {
  for (let i = 0; i < LINES.length * 3; i++) {
    const line = LINES[i % LINES.length]!;
    await store.append([{ raw: enc.encode(line), attrs: { host: `web-${i % 3}`, service: i % 2 ? "api" : "db" }, sourceTs: i % 4 === 0 ? 0 : 1_000_000 + i * 1000, ingestTs: 2_000_000 + i * 1000 }]);
    if ((i + 1) % sealEvery === 0) await store.seal();
  }
}

function source(store: ChunkStore): SearchSource {
  return { name: "default", store, indexes: () => undefined };
}

async function collect(src: SearchSource, req: SearchRequest): Promise<{ hits: SearchHit[]; resume?: string }> {
  const hits: SearchHit[] = [];
  const it = search(src, req);
  for (;;) {
    const r = await it.next();
    if (r.done) return { hits, resume: r.value.resume };
    hits.push(r.value);
  }
}

async function allRecords(store: ChunkStore): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (const c of store.chunks()) {
    const r = store.open(c.id);
    for (let p = 0; p < r.count(); p++) out.push(r.record(p));
    r.close();
  }
  return out;
}

const QUERIES = [
  "error",
  "ERROR",
  "error OR warn",
  "error -debug",
  "NOT error",
  "cafe",
  "42",
  '"disk 95%"',
  "level=error",
  "host=web-1",
  "status=*",
  "*=api",
  "groß",
  "192.168.1.100",
  "supercalifragilisticexpialidocious",
  "supercalifragili",
  "(error OR timeout) host=web-2",
  "start=1000500 end=1010000",
  "error reverse=true",
  "",
];

describe("search agrees with the oracle", () => {
  for (const sealEvery of [1000, 7]) {
    test.each(QUERIES)(`sealEvery=${sealEvery}: %p`, async (q) => {
      const store = createMemoryStore("default", {});
      await fill(store, sealEvery);
      const args = parseQueryArgs(q, 0);
      const req: SearchRequest = { ...args, contextBefore: 0, contextAfter: 0 };
      const { hits } = await collect(source(store), req);
      const all = await allRecords(store);
      const ordered = args.reverse ? [...all].reverse() : all;
      const expected = ordered.filter((r) => oracleInTime(r, args.start, args.end) && (!args.expr || oracleMatches(args.expr, r)));
      expect(hits.map((h) => new TextDecoder().decode(h.record.raw))).toEqual(expected.map((r) => new TextDecoder().decode(r.raw)));
      await store.close();
    });
  }
});

test("pagination with resume tokens covers every match exactly once, both directions", async () => {
  const store = createMemoryStore("default", {});
  await fill(store, 4);
  for (const reverse of [false, true]) {
    const full = await collect(source(store), { limit: 0, reverse, contextBefore: 0, contextAfter: 0 });
    const paged: SearchHit[] = [];
    let resume: string | undefined;
    do {
      const page = await collect(source(store), { limit: 4, reverse, contextBefore: 0, contextAfter: 0, resume });
      paged.push(...page.hits);
      resume = page.resume;
    } while (resume !== undefined);
    expect(paged.map((h) => h.ref)).toEqual(full.hits.map((h) => h.ref));
  }
});

test("context windows are de-duplicated and marked", async () => {
  const store = createMemoryStore("default", {});
  for (const l of ["r1", "E1", "m", "E2", "r2", "x", "y"]) await store.append([{ raw: enc.encode(l), attrs: {}, sourceTs: 0, ingestTs: 1 }]);
  await store.seal();
  const { expr } = parseQueryArgs("e1 OR e2", 0);
  const { hits } = await collect(source(store), { expr, limit: 0, reverse: false, contextBefore: 1, contextAfter: 1 });
  expect(hits.map((h) => `${new TextDecoder().decode(h.record.raw)}${h.context ? "~" : ""}`)).toEqual(["r1~", "E1", "m~", "E2", "r2~"]);
});

test("a resume token into a deleted chunk is a clear not_found error", async () => {
  const store = createMemoryStore("default", {});
  await fill(store, 5);
  const page = await collect(source(store), { limit: 2, reverse: false, contextBefore: 0, contextAfter: 0 });
  await store.delete(store.chunks()[0]!.id);
  expect(collect(source(store), { limit: 2, reverse: false, contextBefore: 0, contextAfter: 0, resume: page.resume })).rejects.toThrow("no longer exists");
});

test("regex metacharacters in words and phrases match literally, case-insensitively", async () => {
  const store = createMemoryStore("default", {});
  const lines = ["call a.b(c) now", "call aXb(c) now", "path C:\\Temp\\x [1]", "cost $5+tax?", "COST $5+TAX? yes", "a|b ok", "ab ok"];
  for (const l of lines) await store.append([{ raw: enc.encode(l), attrs: {}, sourceTs: 0, ingestTs: 1 }]);
  const found = async (q: string) =>
    (await collect(source(store), { ...parseQueryArgs(q, 0), contextBefore: 0, contextAfter: 0 })).hits.map((h) => new TextDecoder().decode(h.record.raw));
  expect(await found('"a.b(c)"')).toEqual(["call a.b(c) now"]);
  expect(await found('"C:\\\\Temp\\\\x [1]"')).toEqual(["path C:\\Temp\\x [1]"]);
  expect(await found('"$5+tax?"')).toEqual(["cost $5+tax?", "COST $5+TAX? yes"]);
  expect(await found('"a|b"')).toEqual(["a|b ok"]);
});

test("needles with a digit or punctuation anchor match like the text scan: case-folded, whole tokens", async () => {
  const lines = ["rdd_10_1 stored", "RDD_10_1 again", "Rdd_10_12 longer", "xrdd_10_1 glued", "_10_1 only the anchor", "rdd_10_1", "block rDd_10_1. end", "ab_10_1 rDD_10_1", "user_id=42 path=/a/b", "USER_ID=42x", "Path=/A/B", "rdd_1_01 rdd_10_"];
  for (const sealEvery of [1000, 3]) {
    const store = createMemoryStore("default", {});
    for (let i = 0; i < lines.length; i++) {
      await store.append([{ raw: enc.encode(lines[i]!), attrs: {}, sourceTs: 0, ingestTs: 1 }]);
      if ((i + 1) % sealEvery === 0) await store.seal();
    }
    const all = await allRecords(store);
    for (const q of ["rdd_10_1", "RDD_10_12", '"d_10_1"', '"_10_1 o"', "user_id=42", "path=/a/b", '"path=/a/b"', "rdd_10_", "zzz_10_1"]) {
      const args = parseQueryArgs(q, 0);
      const { hits } = await collect(source(store), { ...args, contextBefore: 0, contextAfter: 0 });
      const expected = all.filter((r) => oracleMatches(args.expr!, r)).map((r) => new TextDecoder().decode(r.raw));
      expect({ q, sealEvery, hits: hits.map((h) => new TextDecoder().decode(h.record.raw)) }).toEqual({ q, sealEvery, hits: expected });
    }
    await store.close();
  }
});
