import { describe, expect, test } from "bun:test";
import type { RecordInput } from "../core/record.ts";
import { createMemoryStore } from "../storage/memory/memory-store.ts";
import { attributeKeys, KEY_CHUNKS } from "./attr-keys.ts";
import { indexSectionBuilders } from "./builders.ts";

const enc = new TextEncoder();
const T0 = 1_740_823_200_000_000;
const rec = (i: number, attrs: Record<string, string>): RecordInput => ({ raw: enc.encode(`line ${i}`), attrs, sourceTs: T0 + i, ingestTs: T0 + i });

describe("attributeKeys", () => {
  test("indexed sealed chunks give lowercased keys; the active chunk is sampled with its case", async () => {
    const store = createMemoryStore("s", { rotation: { maxRecords: 2 }, sectionBuilders: indexSectionBuilders({}) });
    await store.append([rec(0, { Host: "a" }), rec(1, { env: "prod" }), rec(2, { host: "b", zone: "eu" }), rec(3, {}), rec(4, { Service: "api", requestId: "7" })]);
    expect(await attributeKeys(store)).toEqual({ keys: ["Service", "env", "host", "requestId", "zone"], chunks: 3, truncated: false, errors: [] });
    expect(await attributeKeys(store, 2)).toEqual({ keys: ["Service", "env"], chunks: 3, truncated: true, errors: [] });
  });

  test("unindexed sealed chunks are sampled; only the active and the newest sealed chunks are read", async () => {
    const store = createMemoryStore("s", { rotation: { maxRecords: 1 } });
    const n = KEY_CHUNKS + 3;
    await store.append(Array.from({ length: n }, (_, i) => rec(i, { [`k${String(i).padStart(2, "0")}`]: "v" })));
    const want = Array.from({ length: n }, (_, i) => `k${String(i).padStart(2, "0")}`).slice(n - KEY_CHUNKS - 1);
    expect(await attributeKeys(store)).toEqual({ keys: want, chunks: KEY_CHUNKS + 1, truncated: false, errors: [] });
  });

  test("format fields are keys too: from the format indexes of sealed chunks and sampled from the active one", async () => {
    const store = createMemoryStore("s", { rotation: { maxRecords: 2 }, sectionBuilders: indexSectionBuilders({}) });
    const raw = (text: string): RecordInput => ({ raw: enc.encode(text), attrs: { host: "a" }, sourceTs: T0, ingestTs: T0 });
    await store.append([raw('{"user":{"id":1},"tags":["x"]}'), raw('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5'), raw('level=info msg="a b"')]);
    expect((await attributeKeys(store)).keys).toEqual(["bytes", "host", "level", "method", "msg", "path", "protocol", "remote_addr", "status", "tags[]", "timestamp", "user.id"]);
  });

  test("an empty store has no keys", async () => {
    expect(await attributeKeys(createMemoryStore("s", {}))).toEqual({ keys: [], chunks: 0, truncated: false, errors: [] });
  });
});
