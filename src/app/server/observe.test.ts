/** Store hooks: seals and index sections counted by status; failed sections and seals reach telemetry. */

import { expect, test } from "bun:test";
import { Metrics } from "../../observability/metrics.ts";
import { silentLogger } from "../../observability/logger.ts";
import { Telemetry } from "../../observability/telemetry.ts";
import { storeObserver } from "./observe.ts";

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
