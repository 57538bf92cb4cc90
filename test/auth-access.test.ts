/**
 * What a token may see and do beyond the method rules, on a running server (in process) with
 * auth on: store-limited tokens see only their stores (`*` searches, listings, totals), routed
 * ingest is refused whole when a record would reach a store the token may not write, query
 * limits (rows, time range, requests per minute, timeout) bend or refuse queries, config
 * changes are limited to the token's stores and carry its name as author; the Unix socket
 * demands tokens with socketAuth "token" and admits listed peer uids (SO_PEERCRED); health
 * probes stay open.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient, createContextValues, type HandlerContext } from "@connectrpc/connect";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { principalKey } from "../src/api/principal.ts";
import { ConfigService } from "../src/api/gen/gastrolog/v1/config_pb.ts";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "../src/api/gen/gastrolog/v1/store_pb.ts";
import { limitSignal } from "../src/api/services/access.ts";
import { httpTransport, socketTransport } from "../src/api/transports.ts";
import { startServer, type RunningServer } from "../src/app/server/server.ts";
import { configDbPath } from "../src/config/sqlite-store.ts";
import { nowMicros } from "../src/core/time.ts";
import { silentLogger } from "../src/observability/logger.ts";
import { NO_LIMITS, type QueryLimits } from "../src/security/limits.ts";
import { parseScope } from "../src/security/scopes.ts";
import { TokenStore } from "../src/security/token-store.ts";
import { serverDir } from "./support/server.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const HOUR = 3600e6;
const { dir, cleanup } = serverDir();
let srv: RunningServer;
let tokens: TokenStore;

function token(name: string, scopes: string[], limits: Partial<QueryLimits> = {}): string {
  return tokens.create({ name, scopes: scopes.map(parseScope), limits: { ...NO_LIMITS, ...limits }, ttlUs: 0, createdBy: "test" }).secret;
}

function clients(secret: string) {
  const t = httpTransport(`http://${srv.http}`, "connect", false, { token: secret });
  return { query: createClient(QueryService, t), store: createClient(StoreService, t), ingest: createClient(IngestService, t), config: createClient(ConfigService, t) };
}

async function hits(it: AsyncIterable<{ hits: { record?: { raw: Uint8Array } }[]; resumeToken: string; done: boolean }>): Promise<{ raws: string[]; resumed: boolean }> {
  const raws: string[] = [];
  let resumed = false;
  for await (const m of it) {
    raws.push(...m.hits.map((h) => dec.decode(h.record!.raw)));
    if (m.done) resumed = m.resumeToken !== "";
  }
  return { raws: raws.sort(), resumed };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return Code[ConnectError.from(err).code];
  }
}

beforeAll(async () => {
  const data = join(dir, "data");
  mkdirSync(data, { recursive: true });
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ stores: [{ name: "web", type: "memory", route: "app=web" }, { name: "db", type: "memory", route: "app=db" }] }));
  srv = await startServer({ dataDir: data, configFile: config, socket: join(dir, "s.sock"), listen: "127.0.0.1:0", auth: true, demo: false, logger: silentLogger });
  tokens = TokenStore.open(configDbPath(data));
  const now = nowMicros();
  await createClient(IngestService, socketTransport(join(dir, "s.sock"))).append({
    records: [
      { raw: enc.encode("web new"), attrs: { app: "web" }, sourceTsUs: BigInt(now - 60e6) },
      { raw: enc.encode("web old"), attrs: { app: "web" }, sourceTsUs: BigInt(now - 3 * HOUR) },
      { raw: enc.encode("web mid"), attrs: { app: "web" }, sourceTsUs: BigInt(now - 30 * 60e6) },
      { raw: enc.encode("db one"), attrs: { app: "db" }, sourceTsUs: BigInt(now - 60e6) },
    ],
  });
});

afterAll(async () => {
  tokens?.close();
  await srv?.shutdown("test end");
  cleanup();
});

describe("store-limited tokens", () => {
  test("a * search, listings and totals cover only the readable stores; other stores are refused", async () => {
    const c = clients(token("webq", ["query:store=web"]));
    expect(await hits(c.query.search({ query: { store: "*", text: "-routed" } }))).toEqual({ raws: ["web mid", "web new", "web old"], resumed: false });
    expect((await c.store.listStores({})).stores.map((s) => s.name)).toEqual(["web"]);
    expect(Number((await c.store.getStats({})).records)).toBe(3);
    expect(await codeOf(hits(c.query.search({ query: { store: "db" } })))).toBe("PermissionDenied");
    expect(await codeOf(c.store.listChunks({ store: "db" }))).toBe("PermissionDenied");
  });

  test("routed ingest is refused whole when a record would reach a store the token may not write", async () => {
    const c = clients(token("webi", ["ingest:store=web"]));
    const r = await c.ingest.append({ records: [{ raw: enc.encode("web routed"), attrs: { app: "web" } }] });
    expect([...r.copies]).toEqual([1]);
    const mixed = c.ingest.append({ records: [{ raw: enc.encode("web again"), attrs: { app: "web" } }, { raw: enc.encode("db sneaky"), attrs: { app: "db" } }] });
    expect(await codeOf(mixed)).toBe("PermissionDenied");
    const all = clients(token("all", ["query"]));
    expect((await hits(all.query.search({ query: { store: "*", text: "again OR sneaky" } }))).raws).toEqual([]);
    expect(await codeOf(c.ingest.append({ store: "db", records: [{ raw: enc.encode("x") }] }))).toBe("PermissionDenied");
  });
});

describe("query limits", () => {
  test("max rows caps the page (a resume token follows); max range starts a query without start= at end - range and refuses wider ones", async () => {
    const rows = clients(token("rows", ["query"], { maxRows: 2 }));
    const page = await hits(rows.query.search({ query: { store: "web", text: "web" } }));
    expect({ n: page.raws.length, resumed: page.resumed }).toEqual({ n: 2, resumed: true });
    const range = clients(token("range", ["query"], { maxRangeUs: HOUR }));
    expect((await hits(range.query.search({ query: { store: "web", text: "web -routed" } }))).raws).toEqual(["web mid", "web new"]);
    expect(await codeOf(hits(range.query.search({ query: { store: "web", text: "web start=-2h" } })))).toBe("PermissionDenied");
  });

  test("requests per minute: the next query is refused with RESOURCE_EXHAUSTED", async () => {
    const c = clients(token("rate", ["query"], { perMinute: 2 }));
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await codeOf(c.query.validateQuery({ text: "x" })));
    expect(codes).toEqual(["ok", "ok", "ResourceExhausted"]);
  });

  test("timeout: the query's signal ends after the token's timeout", async () => {
    const values = createContextValues().set(principalKey, { name: "slow", token: true, scopes: [], limits: { ...NO_LIMITS, timeoutMs: 20 } });
    const signal = limitSignal({ values, signal: new AbortController().signal } as unknown as HandlerContext);
    const reason = await new Promise<unknown>((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
    expect(String(reason)).toContain("query stopped after 20 ms, the timeout of token slow");
  });
});

test("with auth on, /healthz, /readyz and /metrics (server.metrics defaults to open, docs/security.md) answer without a token while the API refuses", async () => {
  const status = async (path: string, init?: RequestInit) => (await fetch(`http://${srv.http}${path}`, init)).status;
  const search = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };
  expect({
    healthz: await status("/healthz"),
    readyz: await status("/readyz"),
    metrics: await status("/metrics"),
    api: await status("/gastrolog.v1.QueryService/Explain", search),
  }).toEqual({ healthz: 200, readyz: 200, metrics: 200, api: 401 });
});

test("config changes: only the token's stores, authored by the token's name", async () => {
  const c = clients(token("web-admin", ["config:write:store=web"]));
  const r = await c.config.setConfig({ assignments: ["stores[web].retention.maxChunks=3"], author: "someone-else" });
  expect(r.change?.version?.author).toBe("web-admin");
  expect(await codeOf(c.config.setConfig({ assignments: ["stores[db].retention.maxChunks=3"] }))).toBe("PermissionDenied");
  expect(await codeOf(c.config.setConfig({ assignments: ["server.logLevel=debug"] }))).toBe("PermissionDenied");
  expect(await codeOf(c.config.setRetention({ store: "web", assignments: ["maxChunks=4"] }))).toBe("ok");
  expect((await c.config.getRetention({})).policies.map((p) => p.store)).toEqual(["web"]);
});

test("the Unix socket: tokens demanded with socketAuth token; a listed peer uid is admitted", async () => {
  const d = serverDir();
  try {
    const socket = join(d.dir, "s.sock");
    const run = async (uids: number[]) => {
      const config = join(d.dir, "config.json");
      writeFileSync(config, JSON.stringify({ server: { socketAuth: "token", socketUids: uids }, stores: [{ name: "default", type: "memory", route: "*" }] }));
      const s = await startServer({ dataDir: join(d.dir, "data"), configFile: config, socket, listen: "off", demo: false, logger: silentLogger });
      try {
        return await codeOf(createClient(LifecycleService, socketTransport(socket)).status({}));
      } finally {
        await s.shutdown("test");
      }
    };
    expect([await run([]), await run([process.getuid!()])]).toEqual(["Unauthenticated", "ok"]);
  } finally {
    d.cleanup();
  }
});
