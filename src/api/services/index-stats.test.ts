import { expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { indexSectionBuilders } from "../../index/builders.ts";
import { createMemoryStore } from "../../storage/memory/memory-store.ts";
import { StoreService } from "../gen/gastrolog/v1/store_pb.ts";
import type { HostStore } from "../host.ts";
import { LocalHost } from "../local-host.ts";
import { clientFor } from "../test-support.ts";

const enc = new TextEncoder();
const T0 = 1_740_823_200_000_000;

async function indexedHost() {
  const store = createMemoryStore("default", { rotation: { maxRecords: 3 }, sectionBuilders: indexSectionBuilders({}) });
  const hs: HostStore = { name: "default", source: { name: "default", store, indexes: () => undefined }, settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords: 3, maxAgeMicros: 0 }, durability: { kind: "never" }, route: "" } };
  const lines: [string, Record<string, string>][] = [
    ["ERROR db down user=bob", { Host: "a" }],
    ["INFO login user=alice", { host: "b" }],
    ["ERROR disk full", {}],
    ["INFO login user=bob", { Zone: "eu" }],
  ];
  await store.append(lines.map(([raw, attrs], i) => ({ raw: enc.encode(raw), attrs, sourceTs: T0 + i, ingestTs: T0 + i })));
  const host = new LocalHost({ stores: [hs], version: { version: "t", commit: "t", runtime: "bun" } });
  host.markReady();
  return { host, ids: store.chunks().map((c) => c.id) };
}

test("GetIndexStats: term statistics of a sealed chunk, metadata only for the active one", async () => {
  const { host, ids } = await indexedHost();
  const stores = clientFor(StoreService, host);
  const sealed = await stores.getIndexStats({ chunk: ids[0]!, topN: 2 });
  const fields = (name: string) => {
    const t = sealed.stats.find((x) => x.name === name)!;
    return [t.title, t.summary, Object.fromEntries(t.fields.map((f) => [f.label, f.value.case === "terms" ? f.value.value.terms.map((x) => [x.term, x.count]) : f.value.value])), t.warnings];
  };
  expect({
    sealed: sealed.sealed,
    sections: sealed.sections.map((s) => [s.name, s.section, s.status]),
    token: fields("token"),
    attr: fields("attr"),
    kv: fields("kv"),
    errors: sealed.errors,
  }).toEqual({
    sealed: true,
    sections: [["token", "idx.tokens", "complete"], ["attr", "idx.attrs", "complete"], ["kv", "idx.msgkv", "complete"], ...["json", "clf", "syslog", "logfmt"].map((n) => [n, `idx.${n}`, "complete"])],
    token: ["Token stats", "9 tokens, 11 positions", { "unique tokens": 9n, "total positions": 11n, "avg frequency": "1.2", frequency: "p50 1, p95 2, max 2", "top tokens": [["error", 2n], ["user", 2n]] }, []],
    attr: ["Attribute stats", "1 keys, 2 values, 2 pairs, 2 positions", { "unique keys": 1n, "unique values": 2n, "unique pairs": 2n, positions: 2n, coverage: expect.objectContaining({ part: 2n, whole: 3n, of: "records" }), "top keys": [["host", 2n]] }, []],
    kv: ["Message KV stats", "1 keys, 2 values, 2 pairs, 2 positions", { "keys indexed": 1n, "values indexed": 2n, "pairs indexed": 2n, positions: 2n, "top keys": [["user", 2n]] }, []],
    errors: [],
  });
  const active = await stores.getIndexStats({ chunk: ids[1]! });
  expect([active.sealed, active.chunk?.state, active.stats, active.sections]).toEqual([false, "active", [], []]);
  const missing = await stores.getIndexStats({ chunk: "01950000-0000-7000-8000-000000000000" }).catch((e) => ConnectError.from(e).code);
  expect(missing).toBe(Code.NotFound);
});

test("ListAttributeKeys: index keys of sealed chunks plus the active chunk's sample, bounded by limit", async () => {
  const { host } = await indexedHost();
  const stores = clientFor(StoreService, host);
  expect(await stores.listAttributeKeys({})).toMatchObject({ keys: ["Zone", "host"], chunksRead: 2, truncated: false });
  expect(await stores.listAttributeKeys({ store: "default", limit: 1 })).toMatchObject({ keys: ["Zone"], chunksRead: 2, truncated: true });
  expect(await stores.listAttributeKeys({ store: "nope" }).catch((e) => ConnectError.from(e).code)).toBe(Code.NotFound);
});
