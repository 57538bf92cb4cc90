/**
 * A real Prometheus (Debian's `prometheus`) scrapes the compiled server: it runs on a temp
 * config and storage dir on a free port with a 1 s scrape interval; the target is `up`, and
 * after a known number of records went in through the HTTP receiver, PromQL over the scraped
 * series (HTTP API) shows the ingest counters at exactly that number; a query shows up in the
 * query counters. Prometheus negotiates OpenMetrics, so a scrape that parses is also a check of
 * that format; the Prometheus text format is fetched directly beside it.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { freePort, hasCommand } from "./receivers/support.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";
import { until } from "./support/until.ts";

const PROMETHEUS = hasCommand("prometheus");
const RECORDS = 250;
const { dir, cleanup } = serverDir();
let srv: ServeProc;
let prom: Bun.Subprocess | undefined;
let promUrl = "";

/** One instant PromQL query: the value of each series, keyed by its labels as JSON. */
async function promql(query: string): Promise<Record<string, number>> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`PromQL ${query}: ${JSON.stringify(body)}`);
  return Object.fromEntries(body.data.result.map((s) => [JSON.stringify(s.metric), Number(s.value[1])]));
}

/** The single value of a query with one result, or undefined while it has none. */
async function scalar(query: string): Promise<number | undefined> {
  const values = Object.values(await promql(query));
  return values.length === 1 ? values[0] : undefined;
}

beforeAll(async () => {
  if (!PROMETHEUS) return;
  srv = await startServe(dir, ["--receiver", "http=http://127.0.0.1:0"]);
  const promDir = join(dir, "prometheus");
  mkdirSync(join(promDir, "data"), { recursive: true });
  const config = join(promDir, "prometheus.yml");
  writeFileSync(
    config,
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      "  - job_name: gastrolog",
      "    static_configs:",
      `      - targets: ["${srv.http}"]`,
      "",
    ].join("\n"),
  );
  const port = freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = Bun.spawn(["prometheus", `--config.file=${config}`, `--storage.tsdb.path=${join(promDir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  await until(async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.status === 200, { what: "prometheus /-/ready", timeoutMs: 30_000, pollMs: 50 });
}, 60_000);

afterAll(async () => {
  prom?.kill();
  await prom?.exited;
  if (srv) {
    srv.proc.kill("SIGTERM");
    await srv.exited;
  }
  cleanup();
});

test.skipIf(!PROMETHEUS)("prometheus scrapes the server: target up, ingest counters move by the records sent (needs prometheus)", async () => {
  await until(async () => (await scalar('up{job="gastrolog"}')) === 1, { what: "the scrape target to be up", timeoutMs: 30_000, pollMs: 50 });
  const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string; scrapeUrl: string }[] } };
  expect(targets.data.activeTargets.map((t) => ({ health: t.health, lastError: t.lastError, scrapeUrl: t.scrapeUrl }))).toEqual([{ health: "up", lastError: "", scrapeUrl: `http://${srv.http}/metrics` }]);

  const receiver = "http-http-0";
  const before = (await scalar(`gastrolog_receiver_records_total{receiver="${receiver}"}`)) ?? -1;
  expect(before).toBe(0);
  const status = (await (await fetch(`http://${srv.http}/metrics`)).text()).match(/gastrolog_receiver_records_total\{receiver="http-http-0",type="http"\} (\d+)/);
  expect(status?.[1]).toBe("0");

  const listening = (await createClient(LifecycleService, socketTransport(srv.socket)).status({})).receivers.find((r) => r.name === receiver)?.listening[0] ?? "";
  const receiverPort = Number(listening.slice(listening.lastIndexOf(":") + 1));
  const body = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ msg: `metric probe ${i}`, level: "info" })).join("\n") + "\n";
  const ack = await fetch(`http://127.0.0.1:${receiverPort}/ingest/ndjson`, { method: "POST", body, headers: { "x-wait-ack": "true" } });
  expect(await ack.json()).toEqual({ accepted: RECORDS });

  const wanted: Record<string, number> = {
    [`gastrolog_receiver_records_total{receiver="${receiver}"}`]: RECORDS,
    [`gastrolog_receiver_stored_records_total{receiver="${receiver}"}`]: RECORDS,
    [`gastrolog_receiver_acked_records_total{receiver="${receiver}"}`]: RECORDS,
    'gastrolog_store_ingested_records_total{store="default"}': RECORDS,
    'gastrolog_ingest_routed_records_total{store="default"}': RECORDS,
    "sum(gastrolog_ingest_queue_wait_seconds_count) > bool 0": 1,
    'gastrolog_store_append_duration_seconds_count{store="default"} > bool 0': 1,
  };
  const seen: Record<string, number | undefined> = {};
  await until(
    async () => {
      for (const q of Object.keys(wanted)) seen[q] = await scalar(q);
      return Object.keys(wanted).every((q) => seen[q] === wanted[q]);
    },
    { what: "the scraped ingest counters to reach the records sent", timeoutMs: 30_000, pollMs: 50, detail: () => `last seen: ${JSON.stringify(seen)}` },
  );
  expect(seen).toEqual(wanted);

  const hits = [];
  for await (const r of createClient(QueryService, socketTransport(srv.socket)).search({ query: { text: "probe" } })) hits.push(...r.hits);
  expect(hits.length).toBe(RECORDS);
  await until(async () => (await scalar('gastrolog_queries_total{kind="search"}')) === 1, { what: "the search to be counted", timeoutMs: 30_000, pollMs: 50 });
  expect(await scalar('gastrolog_query_duration_seconds_count{kind="search"}')).toBe(1);
  expect(await scalar('gastrolog_build_info{job="gastrolog"}')).toBe(1);
  expect((await scalar("process_resident_memory_bytes")) ?? 0).toBeGreaterThan(0);
}, 90_000);

test.skipIf(!PROMETHEUS)("the text format is served when OpenMetrics is not asked for, OpenMetrics when it is (needs prometheus)", async () => {
  const text = await fetch(`http://${srv.http}/metrics`);
  expect(text.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const om = await fetch(`http://${srv.http}/metrics`, { headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" } });
  expect(om.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
  expect((await om.text()).trimEnd().endsWith("# EOF")).toBe(true);
  expect((await text.text()).includes("# EOF")).toBe(false);
});
