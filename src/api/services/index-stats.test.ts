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
  expect({
    sealed: sealed.sealed,
    sections: sealed.sections.map((s) => s.status),
    tokens: [sealed.tokens?.terms, sealed.tokens?.positions, sealed.tokens?.max, sealed.tokens?.top.map((t) => [t.term, t.count])],
    attrs: [sealed.attrs?.keys, sealed.attrs?.recordsWithAttrs, sealed.attrs?.topKeys.map((t) => t.term)],
    kv: [sealed.kv?.keys, sealed.kv?.pairs, sealed.kv?.status],
    errors: sealed.errors,
  }).toEqual({
    sealed: true,
    sections: ["complete", "complete", "complete"],
    tokens: [9n, 11n, 2n, [["error", 2n], ["user", 2n]]],
    attrs: [1n, 2n, ["host"]],
    kv: [1n, 2n, "complete"],
    errors: [],
  });
  const active = await stores.getIndexStats({ chunk: ids[1]! });
  expect([active.sealed, active.chunk?.state, active.tokens, active.sections]).toEqual([false, "active", undefined, []]);
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
