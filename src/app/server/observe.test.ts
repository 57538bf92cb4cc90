/**
 * Store hooks: seals and index sections counted by status; failed sections and seals reach
 * telemetry. Chunks waiting for a seal retry and datagrams a UDP receiver holds reach status
 * and the metrics.
 */

import { create } from "@bufbuild/protobuf";
import { expect, test } from "bun:test";
import type { ReceiverView } from "../../api/host.ts";
import type { LocalHost } from "../../api/local-host.ts";
import { sealRetryFields } from "../../api/convert/chunk.ts";
import { toReceiverStatusPb } from "../../api/convert/receiver.ts";
import { StatusResponseSchema } from "../../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { Metrics } from "../../observability/metrics.ts";
import { registerSources } from "../../observability/metrics-sources.ts";
import { silentLogger } from "../../observability/logger.ts";
import { Telemetry } from "../../observability/telemetry.ts";
import { renderReceivers, renderStatus } from "../../repl/render/system.ts";
import { openFileStore } from "../../storage/file/open-store.ts";
import { FlakySealer, numbered, tempDir } from "../../storage/file/test-helpers.ts";
import { hostSources, storeObserver } from "./observe.ts";

test("a seal with a failed, a lossy and a complete section, then a failed seal", async () => {
  const metrics = new Metrics();
  const telemetry = new Telemetry(silentLogger, { clock: () => 7 });
  const o = storeObserver("web", { metrics, telemetry });
  o.sealed!({ chunk: "c1", millis: 120, indexMillis: 40, sections: [{ name: "idx.tokens", status: "complete" }, { name: "idx.msgkv", status: "lossy" }, { name: "idx.attrs", status: "failed" }], errors: ['section "idx.attrs": boom'] });
  o.sealFailed!("disk full");
  const body = (await metrics.expose(undefined)).body;
  const lines = body.split("\n").filter((l) => /^gastrolog_(index_sections_total|index_build_failures_total|store_seals_total|store_seal_failures_total|store_seal_duration_seconds_count|index_build_duration_seconds_sum)/.test(l));
  expect(lines).toEqual([
    'gastrolog_store_seals_total{store="web"} 1',
    'gastrolog_store_seal_duration_seconds_count{store="web"} 1',
    'gastrolog_store_seal_failures_total{store="web"} 1',
    'gastrolog_index_build_duration_seconds_sum{store="web"} 0.04',
    'gastrolog_index_build_failures_total{store="web"} 1',
    'gastrolog_index_sections_total{store="web",section="idx.tokens",status="complete"} 1',
    'gastrolog_index_sections_total{store="web",section="idx.msgkv",status="lossy"} 1',
  ]);
  expect(telemetry.snapshot()[1]).toEqual({ kind: "index_build_failure", count: 2, lastMessage: "seal failed (the chunk stays active data): disk full", lastAt: 7, context: { store: "web" } });
});

test("a chunk waiting for a seal retry shows in status (REPL) and as the seal-retry gauge", async () => {
  using tmp = tempDir();
  const store = await openFileStore(tmp.path, { sealer: new FlakySealer(Infinity), sealRetry: { firstMs: 60_000, maxMs: 60_000 } });
  await store.append([numbered(0)]);
  await expect(store.seal()).rejects.toThrow("ENOSPC");
  const host = { version: () => ({ version: "t", commit: "t", runtime: "t" }), startedAt: 0, stores: () => [{ name: "web", source: { store } }] } as unknown as LocalHost;
  const metrics = new Metrics();
  registerSources(metrics, { ...hostSources(host), receivers: () => [], routing: () => undefined, queue: () => undefined, retention: () => undefined, config: () => undefined, telemetry: () => ({}) });
  const gauge = (await metrics.expose(undefined)).body.split("\n").filter((l) => /^gastrolog_store_(seal_retry_chunks|chunks)\{/.test(l));
  const retry = sealRetryFields(store);
  const status = renderStatus(create(StatusResponseSchema, { phase: "ready", stores: [{ name: "web", activeChunk: "", ...retry }] }));
  expect({ gauge, chunks: retry.sealRetryChunks, dueInAMinute: Math.abs(Number(retry.nextSealRetryUs) / 1000 - Date.now() - 60_000) < 30_000, status: status.filter((l) => l.includes("seal failed")).map((l) => l.replace(/next .*\)/, "next T)")) }).toEqual({
    gauge: ['gastrolog_store_chunks{store="web",state="seal_retry"} 1', 'gastrolog_store_seal_retry_chunks{store="web"} 1'],
    chunks: 1,
    dueInAMinute: true,
    status: ["    [web] seal failed, retrying: 1 chunks (next T)"],
  });
  await store.close();
});

test("datagrams a UDP receiver holds reach its status line (REPL) and the held-datagram gauges", async () => {
  const view: ReceiverView = {
    name: "udp",
    type: "syslog",
    params: {},
    state: "running",
    records: 10,
    errors: 0,
    net: { bytes: 900, parseErrors: 0, dropped: {}, droppedBytes: 0, stored: 4, acked: 0, duplicates: 0, queueWaitMicros: 0, connections: 0, heldDatagrams: 6, heldDatagramBytes: 3 << 20, listening: ["udp://127.0.0.1:5514"], restarts: 0, tlsRejected: 0 },
  };
  const host = { version: () => ({ version: "t", commit: "t", runtime: "t" }), startedAt: 0, receivers: () => [view] } as unknown as LocalHost;
  const metrics = new Metrics();
  registerSources(metrics, { ...hostSources(host), routing: () => undefined, queue: () => undefined, stores: () => [], retention: () => undefined, config: () => undefined, telemetry: () => ({}) });
  const gauges = (await metrics.expose(undefined)).body.split("\n").filter((l) => l.startsWith("gastrolog_receiver_held_"));
  const lines = renderReceivers(create(StatusResponseSchema, { phase: "ready", receivers: [toReceiverStatusPb(view)] }));
  expect({ gauges, held: lines.filter((l) => l.includes("held datagrams")) }).toEqual({
    gauges: ['gastrolog_receiver_held_datagrams{receiver="udp",type="syslog"} 6', `gastrolog_receiver_held_datagram_bytes{receiver="udp",type="syslog"} ${3 << 20}`],
    held: ["      held datagrams: 6 (3.0 MB) while the ingest queue is full"],
  });
});
