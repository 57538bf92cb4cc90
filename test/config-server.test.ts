/**
 * The versioned config against a running `gastrolog serve` (compiled binary): the CLI talks
 * to the server (found through --data, or --addr socket/HTTP) for set → history → diff →
 * rollback; an invalid change is rejected with nothing applied; a change written to the
 * database by another process and an edit of the --config file are applied within seconds;
 * routing with several stores (catch-rest, expressions, unrouted in Status) and the merged
 * "*" query; retention by count and TTL while queries run; everything survives a restart.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigService } from "../src/api/gen/gastrolog/v1/config_pb.ts";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "../src/api/gen/gastrolog/v1/store_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { configDbPath, openSqliteConfigStore } from "../src/config/sqlite-store.ts";
import { runBinary } from "./support/binary.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";
import { until } from "./support/until.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const env = { USER: "tester" };
const { dir, cleanup } = serverDir();
const file = join(dir, "gastrolog.json");
let srv: ServeProc;

function api(s: ServeProc) {
  const t = socketTransport(s.socket);
  return { config: createClient(ConfigService, t), ingest: createClient(IngestService, t), query: createClient(QueryService, t), life: createClient(LifecycleService, t), stores: createClient(StoreService, t) };
}

const applied = (s: ServeProc, version: number) => s.waitLog((l) => l.msg === "config applied" && l.version === version);

async function texts(it: AsyncIterable<{ hits: { record?: { raw: Uint8Array } }[] }>): Promise<string[]> {
  const out: string[] = [];
  for await (const m of it) for (const h of m.hits) out.push(dec.decode(h.record!.raw));
  return out;
}

const FILE_CONFIG = {
  server: { logLevel: "debug" },
  stores: [
    { name: "default", route: "+", rotation: { maxRecords: 2 } },
    { name: "errors", route: "level=error", rotation: { maxRecords: 2 } },
  ],
};

beforeAll(async () => {
  writeFileSync(file, JSON.stringify(FILE_CONFIG));
  srv = await startServe(dir, ["--config", file]);
});
afterAll(async () => {
  srv.proc.kill("SIGTERM");
  await srv.exited;
  cleanup();
});

test("the --config file is version 1; routing with catch-rest and expressions; merged query; unrouted in Status", async () => {
  const c = api(srv);
  const h = await c.config.getConfigHistory({});
  expect(h.versions.map((v) => [v.version, v.author])).toEqual([[1n, `file:${file}`]]);
  const at = (t: number) => BigInt(1_700_000_000_000_000 + t);
  const r = await c.ingest.append({
    records: [
      { raw: enc.encode("boom"), attrs: { level: "error" }, sourceTsUs: at(2) },
      { raw: enc.encode("hello"), attrs: { level: "info" }, sourceTsUs: at(1) },
      { raw: enc.encode("later"), attrs: {}, sourceTsUs: at(3) },
    ],
  });
  expect([r.copies, r.unrouted]).toEqual([[1, 1, 1], 0]);
  expect(await texts(c.query.search({ query: { store: "errors" } }))).toEqual(["boom"]);
  expect(await texts(c.query.search({ query: { store: "*" } }))).toEqual(["hello", "boom", "later"]);
  const st = await c.life.status({});
  expect([st.routing?.routed, st.routing?.unrouted, st.configVersion, st.appliedConfigVersion]).toEqual([3n, 0n, 1n, 1n]);
});

test("CLI through the running server: set, history, diff, rollback; invalid change rejected", async () => {
  const data = srv.dataDir;
  const set = await runBinary(["config", "--data", data, "set", "stores[errors].retention.maxAge=30d", "-m", "keep a month"], { env });
  expect([set.code, set.stderr]).toEqual([0, ""]);
  expect(set.stdout).toMatch(/^version 2 · .* UTC · tester@\S+ · "keep a month"\n~ stores\[errors\]\.retention\.maxAge: "0" -> "30d"\n$/);
  const bad = await runBinary(["config", "--addr", `unix:${srv.socket}`, "set", "server.logLevel=loud", 'stores[x]={"route":"error"}'], { env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("invalid config (2 problems):\n  $.server.logLevel:");
  expect(bad.stderr).toContain("$.stores[2].route: invalid route");
  const hist = await runBinary(["config", "--addr", `http://${srv.http}`, "history"], { env });
  expect(hist.stdout.split("\n").map((l) => l.split(/\s+/).filter(Boolean)[0] ?? "")).toEqual(["VERSION", "2", "1", ""]);
  const diff = await runBinary(["config", "--addr", srv.socket, "diff", "1", "2"], { env });
  expect(diff.stdout).toBe('~ stores[errors].retention.maxAge: "0" -> "30d"\n');
  const rb = await runBinary(["config", "--data", data, "rollback", "1"], { env });
  expect(rb.stdout).toMatch(/^version 3 · .* · rollback of 1 · "rollback to version 1"\n~ stores\[errors\]\.retention\.maxAge: "30d" -> "0"\n$/);
  const got = await api(srv).config.getConfig({});
  expect([got.version?.version, got.appliedVersion, JSON.parse(got.configJson).stores[1].retention.maxAge]).toEqual([3n, 3n, "0"]);
  const show = await runBinary(["retention", "--data", data, "show", "--output", "json"], { env });
  expect(JSON.parse(show.stdout).errors).toEqual({ maxAge: "0", maxBytes: "0", maxChunks: 0 });
});

test("a change stored by another process is applied within seconds", async () => {
  const other = openSqliteConfigStore(configDbPath(srv.dataDir));
  try {
    const cur = other.current();
    const next = structuredClone(cur.config);
    next.stores.push({ ...structuredClone(next.stores[0]!), name: "side", type: "memory", route: "side=*" });
    expect(other.apply(next, { author: "other-process", reason: "add side" }).version).toBe(4);
  } finally {
    other.close();
  }
  await applied(srv, 4);
  expect((await api(srv).stores.listStores({})).stores.map((s) => s.name)).toEqual(["default", "errors", "side"]);
});

test("retention by count and TTL deletes sealed chunks while queries run", async () => {
  const c = api(srv);
  for (let i = 0; i < 10; i++) await c.ingest.append({ store: "default", records: [{ raw: enc.encode(`fill ${i}`) }] });
  const sealed = async () => (await c.stores.listChunks({ store: "default" })).chunks.filter((x) => x.state === "sealed").length;
  // Seals finish in the worker after the appends returned: wait (bounded) for them.
  await until(async () => (await sealed()) >= 5, { what: "5 sealed chunks", pollMs: 20 });
  const queries = Array.from({ length: 4 }, () => texts(c.query.search({ query: { store: "default", text: "fill" } })));
  const count = await c.config.setRetention({ store: "default", assignments: ["maxChunks=2"] });
  expect(count.change?.applyError).toBe("");
  await c.config.sweepRetention({ store: "default" });
  for (const q of await Promise.all(queries)) expect(q.length).toBeGreaterThan(0);
  expect(await sealed()).toBe(2);
  const ttl = await runBinary(["retention", "--data", srv.dataDir, "set", "default", "maxAge=1ms", "maxChunks=0"], { env });
  expect(ttl.code).toBe(0);
  const swept = await runBinary(["retention", "--data", srv.dataDir, "sweep", "--store", "default", "--output", "json"], { env });
  expect(JSON.parse(swept.stdout).deleted.map((d: { reason: string }) => d.reason)).toEqual(["age", "age"]);
  expect(await sealed()).toBe(0);
});

test("editing the --config file applies it; a restart keeps the config and the data", async () => {
  const before = (await api(srv).config.getConfig({})).version!.version;
  writeFileSync(file, JSON.stringify({ ...FILE_CONFIG, stores: [...FILE_CONFIG.stores, { name: "filed", type: "file", route: "app=x" }] }));
  await srv.waitLog((l) => l.msg === "config file changed on disk, applied");
  await applied(srv, Number(before) + 1);
  expect((await api(srv).stores.listStores({})).stores.map((s) => s.name)).toEqual(["default", "errors", "filed"]);
  writeFileSync(file, "{ not json");
  await srv.waitLog((l) => String(l.msg).startsWith(`config file ${file} not applied`));
  srv.proc.kill("SIGTERM");
  expect(await srv.exited).toBe(0);
  srv = await startServe(dir);
  const c = api(srv);
  const got = await c.config.getConfig({});
  expect([got.version?.version, got.appliedVersion]).toEqual([before + 1n, before + 1n]);
  expect((await c.stores.listStores({})).stores.map((s) => s.name)).toEqual(["default", "errors", "filed"]);
  expect(await texts(c.query.search({ query: { store: "errors" } }))).toEqual(["boom"]);
});
