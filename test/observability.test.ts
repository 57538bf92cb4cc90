/**
 * Telemetry and metrics access on a running server (in process): a failed query and unrouted
 * records show up in Status telemetry with their context and in the log once; with
 * server.metrics "token", /metrics wants a valid token; the metrics listener serves /metrics
 * and nothing else; the series of /metrics move by what the server was asked to do (appends
 * routed and unrouted, a search, a failed explain) and the process, build and config families
 * are there.
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

/** One scrape as "name{labels}" → value (text format; comments skipped). */
async function scrape(token: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://${srv.http}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) series.set(m[1]!, Number(m[2]));
  }
  return series;
}

test("/metrics series move by what the server did: routed and unrouted appends, a search, an aggregate, a failed explain; process, build and config families present", async () => {
  const tokens = TokenStore.open(configDbPath(join(dir, "data")));
  const secret = tokens.create({ name: "scraper", scopes: [parseScope("query:store=web")], limits: NO_LIMITS, ttlUs: 0, createdBy: "test" }).secret;
  tokens.close();
  const t = socketTransport(join(dir, "s.sock"));
  const before = await scrape(secret);
  const web = Array.from({ length: 5 }, (_, i) => ({ raw: enc.encode(`metrics probe ${i}`), attrs: { app: "web" } }));
  await createClient(IngestService, t).append({ records: [...web, { raw: enc.encode("nowhere"), attrs: { app: "db" } }, { raw: enc.encode("nowhere 2"), attrs: { app: "db" } }] });
  const query = createClient(QueryService, t);
  let hits = 0;
  for await (const m of query.search({ query: { store: "web", text: "probe" } })) hits += m.hits.length;
  const explained = await query.explain({ query: { store: "web", text: "level=" } }).then(() => "answered", (e: Error) => e.message);
  let counted = 0;
  for await (const m of query.aggregate({ query: { store: "web", text: "probe | stats count()" } })) counted += m.rows.reduce((n, r) => n + Number(r.cells[0]!.value.value), 0);
const after = await scrape(secret);
  const delta = (k: string) => (after.get(k) ?? NaN) - (before.get(k) ?? 0);
  expect({
    hits,
    explained: explained.split(":")[0],
    ingested: delta('gastrolog_store_ingested_records_total{store="web"}'),
    routed: delta('gastrolog_ingest_routed_records_total{store="web"}'),
    unrouted: delta("gastrolog_ingest_unrouted_records_total"),
    held: delta('gastrolog_store_records{store="web"}'),
    searches: delta('gastrolog_queries_total{kind="search"}'),
    searchLatencies: delta('gastrolog_query_duration_seconds_count{kind="search"}'),
    counted,
    aggregates: delta('gastrolog_queries_total{kind="aggregate"}'),
    aggregateLatencies: delta('gastrolog_query_duration_seconds_count{kind="aggregate"}'),
    explainErrors: delta('gastrolog_query_errors_total{kind="explain",code="invalid_argument"}'),
    appendsTimed: delta('gastrolog_store_append_duration_seconds_count{store="web"}') > 0,
    dropsTracked: delta('gastrolog_telemetry_events_total{kind="message_drop"}') > 0,
  }).toEqual({ hits: 5, explained: "[invalid_argument] parse error at position 6", ingested: 5, routed: 5, unrouted: 2, held: 5, searches: 1, searchLatencies: 1, counted: 5, aggregates: 1, aggregateLatencies: 1, explainErrors: 1, appendsTimed: true, dropsTracked: true });
  const present = (prefix: string) => [...after.keys()].some((k) => k.startsWith(prefix));
  const families = ["gastrolog_build_info", "gastrolog_uptime_seconds", "gastrolog_config_version", "gastrolog_ingest_queue_records", "gastrolog_store_chunks", "process_resident_memory_bytes", "process_open_fds", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"];
  expect(families.filter((f) => !present(f))).toEqual([]);
  expect(after.get("gastrolog_config_version")! >= 1 && after.get("process_resident_memory_bytes")! > 0).toBe(true);
});
