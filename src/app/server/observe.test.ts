/**
 * Store hooks: seals and index sections counted by status; failed sections and seals reach
 * telemetry. Chunks waiting for a seal retry reach status and the metrics.
 */

import { create } from "@bufbuild/protobuf";
import { expect, test } from "bun:test";
import type { LocalHost } from "../../api/local-host.ts";
import { sealRetryFields } from "../../api/convert/chunk.ts";
import { StatusResponseSchema } from "../../api/gen/gastrolog/v1/lifecycle_pb.ts";
import { Metrics } from "../../observability/metrics.ts";
import { registerSources } from "../../observability/metrics-sources.ts";
import { silentLogger } from "../../observability/logger.ts";
import { Telemetry } from "../../observability/telemetry.ts";
import { renderStatus } from "../../repl/render/system.ts";
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
  const gauge = (await metrics.expose(undefined)).body.split("\n").filter((l) => l.startsWith("gastrolog_store_seal_retry_chunks"));
  const retry = sealRetryFields(store);
  const status = renderStatus(create(StatusResponseSchema, { phase: "ready", stores: [{ name: "web", activeChunk: "", ...retry }] }));
  expect({ gauge, chunks: retry.sealRetryChunks, dueInAMinute: Math.abs(Number(retry.nextSealRetryUs) / 1000 - Date.now() - 60_000) < 30_000, status: status.filter((l) => l.includes("seal failed")).map((l) => l.replace(/next .*\)/, "next T)")) }).toEqual({
    gauge: ['gastrolog_store_seal_retry_chunks{store="web"} 1'],
    chunks: 1,
    dueInAMinute: true,
    status: ["    [web] seal failed, retrying: 1 chunks (next T)"],
  });
  await store.close();
});
