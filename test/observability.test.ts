/**
 * Telemetry and metrics access on a running server (in process): a failed query and unrouted
 * records show up in Status telemetry with their context and in the log once; with
 * server.metrics "token", /metrics wants a valid token; the metrics listener serves /metrics
 * and nothing else.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IngestService } from "../src/api/gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { startServer, type RunningServer } from "../src/app/server/server.ts";
import { configDbPath } from "../src/config/sqlite-store.ts";
import { createLogger } from "../src/observability/logger.ts";
import { NO_LIMITS } from "../src/security/limits.ts";
import { parseScope } from "../src/security/scopes.ts";
import { TokenStore } from "../src/security/token-store.ts";
import { serverDir } from "./support/server.ts";

const enc = new TextEncoder();
const { dir, cleanup } = serverDir();
let srv: RunningServer;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  mkdirSync(join(dir, "data"), { recursive: true });
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ server: { metrics: "token", metricsListen: "127.0.0.1:0" }, stores: [{ name: "web", type: "memory", route: "app=web" }] }));
  const logger = createLogger({ level: "info", format: "json", write: (l) => logs.push(JSON.parse(l)) });
  srv = await startServer({ dataDir: join(dir, "data"), configFile: config, socket: join(dir, "s.sock"), listen: "127.0.0.1:0", demo: false, logger });
});

afterAll(async () => {
  await srv?.shutdown("test end");
  cleanup();
});

test("a failed query and unrouted records reach Status telemetry with their context, logged once each", async () => {
  const t = socketTransport(join(dir, "s.sock"));
  const query = createClient(QueryService, t);
  for (let i = 0; i < 2; i++) await expect(query.explain({ query: { store: "web", text: "level=" } })).rejects.toThrow();
  await createClient(IngestService, t).append({ records: [{ raw: enc.encode("lost"), attrs: { app: "db" } }, { raw: enc.encode("lost too"), attrs: { app: "db" } }] });
  const status = await createClient(LifecycleService, t).status({});
  const views = Object.fromEntries(status.telemetry.map((v) => [v.kind, { count: Number(v.count), context: v.context, last: v.lastMessage.split(":")[0] }]));
  expect(views).toEqual({
    message_drop: { count: 2, context: { reason: "unrouted", records: "2", attrs: '{"app":"db"}' }, last: "2 record(s) matched no store's route and were not stored" },
    index_build_failure: { count: 0, context: {}, last: "" },
    query_error: { count: 2, context: { method: "Explain", code: "invalid_argument", store: "web", query: "level=" }, last: "explain failed" },
  });
  expect(logs.filter((l) => l.event === "query_error").map((l) => ({ component: l.component, query: l.query }))).toEqual([{ component: "telemetry", query: "level=" }]);
});

test("server.metrics token: /metrics wants a token on both listeners; the metrics listener serves nothing else", async () => {
  const tokens = TokenStore.open(configDbPath(join(dir, "data")));
  const secret = tokens.create({ name: "prometheus", scopes: [parseScope("query:store=web")], limits: NO_LIMITS, ttlUs: 0, createdBy: "test" }).secret;
  tokens.close();
  const get = async (base: string, path: string, token?: string) => (await fetch(`http://${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
  expect({
    api: await get(srv.http!, "/metrics"),
    apiToken: await get(srv.http!, "/metrics", secret),
    apiBad: await get(srv.http!, "/metrics", "glt_nope"),
    listener: await get(srv.metrics!, "/metrics"),
    listenerToken: await get(srv.metrics!, "/metrics", secret),
    listenerOther: await get(srv.metrics!, "/readyz", secret),
  }).toEqual({ api: 401, apiToken: 200, apiBad: 401, listener: 401, listenerToken: 200, listenerOther: 404 });
});
