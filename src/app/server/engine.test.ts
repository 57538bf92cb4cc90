/**
 * The engine on a config store, in-process: routing (catch-all, catch-rest, expressions,
 * unrouted counts), config writes through ConfigService (versions, diff, rollback, invalid
 * changes with every problem and nothing applied), stores added/removed/changed live (data of
 * a removed file store stays), codec switch at runtime, merged search over all stores.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigProblemsSchema, ConfigService } from "../../api/gen/gastrolog/v1/config_pb.ts";
import { IngestService } from "../../api/gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "../../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../../api/gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "../../api/gen/gastrolog/v1/store_pb.ts";
import { createInProcessTransport } from "../../api/in-process-transport.ts";
import { MemoryConfigStore } from "../../config/memory-store.ts";
import { silentLogger } from "../../observability/logger.ts";
import { openEngine, type Engine } from "./engine.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const mem = (name: string, route: string) => ({ name, type: "memory", route });
const ROUTED = {
  stores: [mem("errors", "level=error"), mem("web", "app=nginx OR app=envoy"), mem("rest", "+"), mem("all", "*")],
};

async function engineWith(config: unknown): Promise<{ engine: Engine; cfg: MemoryConfigStore; clients: ReturnType<typeof clients> }> {
  const dir = mkdtempSync(join(tmpdir(), "engine-"));
  dirs.push(dir);
  const cfg = new MemoryConfigStore();
  if (config !== undefined) cfg.apply(config, { author: "test", reason: "setup" });
  const engine = await openEngine({ dataDir: dir, config: cfg, logger: silentLogger });
  engine.start();
  return { engine, cfg, clients: clients(engine) };
}

function clients(engine: Engine) {
  const t = createInProcessTransport(engine.host);
  return { config: createClient(ConfigService, t), ingest: createClient(IngestService, t), query: createClient(QueryService, t), life: createClient(LifecycleService, t), stores: createClient(StoreService, t) };
}

async function texts(it: AsyncIterable<{ hits: { record?: { raw: Uint8Array } }[] }>): Promise<string[]> {
  const out: string[] = [];
  for await (const m of it) for (const h of m.hits) out.push(dec.decode(h.record!.raw));
  return out;
}

describe("engine on a config store", () => {
  test("routing: expressions, catch-rest, catch-all, fan-out, unrouted counted", async () => {
    const { engine, clients: c } = await engineWith(ROUTED);
    const records: { raw: Uint8Array; attrs: Record<string, string> }[] = [
      { raw: enc.encode("e1"), attrs: { level: "ERROR", app: "nginx" } },
      { raw: enc.encode("w1"), attrs: { app: "envoy" } },
      { raw: enc.encode("r1"), attrs: { app: "cron" } },
    ];
    const r = await c.ingest.append({ records });
    expect([r.copies, r.unrouted]).toEqual([[3, 2, 2], 0]);
    expect(r.refs.map((x) => x.store).sort()).toEqual(["all", "all", "all", "errors", "rest", "web", "web"]);
    for (const [store, want] of [["errors", ["e1"]], ["web", ["e1", "w1"]], ["rest", ["r1"]], ["all", ["e1", "w1", "r1"]]] as const) {
      expect({ store, got: await texts(c.query.search({ query: { store } })) }).toEqual({ store, got: [...want] });
    }
    // Without catch-all and catch-rest, a message matching no expression is unrouted.
    await c.config.setConfig({ assignments: ["stores[all]=null", "stores[rest]=null"] });
    const u = await c.ingest.append({ records: [{ raw: enc.encode("lost"), attrs: { app: "cron" } }, { raw: enc.encode("kept"), attrs: { level: "error" } }] });
    expect([u.copies, u.unrouted]).toEqual([[0, 1], 1]);
    const st = await c.life.status({});
    expect([st.routing?.routed, st.routing?.unrouted, st.routing?.perStore]).toEqual([4n, 1n, { errors: 2n, web: 2n }]);
    expect((await c.stores.getStats({})).unrouted).toBe(1n);
    // An explicit store bypasses routing.
    expect((await c.ingest.append({ store: "web", records: [{ raw: enc.encode("direct") }] })).refs.map((x) => x.store)).toEqual(["web"]);
    await engine.close();
  });

  test("versions, diff, rollback and an invalid change through ConfigService", async () => {
    const { engine, clients: c } = await engineWith(undefined);
    const set = await c.config.setConfig({ assignments: ["stores[default].retention.maxAge=7d", 'stores[mem]={"type":"memory","route":"+"}'], author: "alice", reason: "two" });
    expect([set.change?.changed, set.change?.version?.version, set.change?.version?.author, set.change?.applyError]).toEqual([true, 1n, "alice", ""]);
    expect(set.change?.version?.diff.map((d) => [d.op, d.path])).toEqual([["changed", "stores[default].retention.maxAge"], ["added", "stores[mem]"]]);
    expect((await c.stores.listStores({})).stores.map((s) => s.name)).toEqual(["default", "mem"]);
    const bad = await c.config.setConfig({ assignments: ["server.logLevel=loud", 'stores[x]={"route":"error"}'] }).catch((e) => ConnectError.from(e));
    expect(bad instanceof ConnectError && [bad.code, bad.findDetails(ConfigProblemsSchema)[0]?.problems.map((p) => p.path)]).toEqual([Code.InvalidArgument, ["$.server.logLevel", "$.stores[2].route"]]);
    expect((await c.config.getConfigHistory({})).versions.map((v) => v.version)).toEqual([1n]);
    const rb = await c.config.rollbackConfig({ version: 0n });
    expect([rb.change?.version?.version, rb.change?.version?.kind, rb.change?.version?.rollbackOf, rb.change?.version?.author]).toEqual([2n, "rollback", 0n, "in-process"]);
    expect((await c.stores.listStores({})).stores.map((s) => s.name)).toEqual(["default"]);
    expect((await c.config.diffConfig({ from: 1n })).diff.map((d) => [d.op, d.path])).toEqual([["changed", "stores[default].retention.maxAge"], ["removed", "stores[mem]"]]);
    const v1 = await c.config.getConfigVersion({ version: 1n });
    expect(JSON.parse(v1.configJson).stores.map((s: { name: string }) => s.name)).toEqual(["default", "mem"]);
    const got = await c.config.getConfig({});
    expect([got.version?.version, got.appliedVersion, got.applyError]).toEqual([2n, 2n, ""]);
    expect((await c.config.exportConfig({})).configJson).toBe(got.configJson);
    const same = await c.config.applyConfig({ configJson: got.configJson });
    expect([same.change?.changed, same.change?.version?.version]).toEqual([false, 2n]);
    const stale = await c.config.setConfig({ assignments: ["server.logLevel=debug"], ifVersion: 1n }).catch((e) => ConnectError.from(e).code);
    expect(stale).toBe(Code.Unavailable);
    await engine.close();
  });

  test("a removed file store keeps its data; re-adding brings it back; codec switch keeps old chunks readable", async () => {
    const { engine, clients: c } = await engineWith({ stores: [{ name: "keep", route: "*" }] });
    await c.ingest.append({ records: [{ raw: enc.encode("zstd one") }] });
    await c.stores.sealActive({ store: "keep" });
    await c.config.setConfig({ assignments: ["stores[keep].compression.codec=lz4"] });
    await c.ingest.append({ records: [{ raw: enc.encode("lz4 two") }] });
    await c.stores.sealActive({ store: "keep" });
    expect((await c.stores.listChunks({ store: "keep" })).chunks.map((x) => x.codec)).toEqual(["zstd", "lz4"]);
    expect(await texts(c.query.search({ query: { store: "keep" } }))).toEqual(["zstd one", "lz4 two"]);
    await c.config.setConfig({ assignments: ["stores[keep]=null", 'stores[other]={"route":"*","type":"memory"}'] });
    expect((await c.stores.listStores({})).stores.map((s) => s.name)).toEqual(["other"]);
    await c.config.setConfig({ assignments: ['stores[keep]={"route":""}'] });
    expect(await texts(c.query.search({ query: { store: "keep" } }))).toEqual(["zstd one", "lz4 two"]);
    // A durability change seals the active chunk so no chunk mixes policies.
    await c.ingest.append({ store: "keep", records: [{ raw: enc.encode("three") }] });
    await c.config.setConfig({ assignments: ['stores[keep].durability={"mode":"never"}'] });
    expect((await c.stores.listChunks({ store: "keep" })).chunks.map((x) => x.state)).toEqual(["sealed", "sealed", "sealed"]);
    // A rotation change applies from the next append.
    await c.config.setConfig({ assignments: ["stores[keep].rotation.maxRecords=1"] });
    await c.ingest.append({ store: "keep", records: [{ raw: enc.encode("four") }, { raw: enc.encode("five") }] });
    expect((await c.stores.listChunks({ store: "keep" })).chunks.map((x) => x.records)).toEqual([1n, 1n, 1n, 1n, 1n]);
    await engine.close();
  });

  test("store * merges every store by event time", async () => {
    const { engine, clients: c } = await engineWith({ stores: [mem("a", "side=a"), mem("b", "side=b")] });
    const rec = (side: string, t: number) => ({ raw: enc.encode(`${side}${t}`), attrs: { side }, sourceTsUs: BigInt(1_000_000 + t) });
    await c.ingest.append({ records: [rec("a", 1), rec("a", 4), rec("b", 2), rec("b", 3), rec("a", 5)] });
    expect(await texts(c.query.search({ query: { store: "*" } }))).toEqual(["a1", "b2", "b3", "a4", "a5"]);
    const page = await Array.fromAsync(c.query.search({ query: { store: "*", limit: 3, reverse: true } }));
    expect(page.flatMap((m) => m.hits.map((h) => dec.decode(h.record!.raw)))).toEqual(["a5", "a4", "b3"]);
    const rest = await texts(c.query.search({ query: { store: "*", reverse: true, resumeToken: page.at(-1)!.resumeToken } }));
    expect(rest).toEqual(["b2", "a1"]);
    expect((await c.query.explain({ query: { store: "*" } })).plan?.chunks.map((x) => x.store)).toEqual(["a", "b"]);
    await engine.close();
  });
});
