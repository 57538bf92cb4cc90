/**
 * OTLP logs receiver against the OpenTelemetry JS SDK's own exporters (the real clients):
 * OTLP/HTTP JSON, OTLP/HTTP protobuf and OTLP/gRPC, each with and without gzip, every record
 * stored with its body, severity, resource/scope/log attributes, trace context and timestamp;
 * and under backpressure: a full queue refuses the export with a retry hint (HTTP 429 +
 * Retry-After, gRPC RESOURCE_EXHAUSTED + RetryInfo). The HTTP exporters retry and nothing is
 * lost; the JS gRPC exporter (0.301) does not retry any status itself, so it reports the
 * refusal — nothing it was told is stored is missing — and a second run goes through.
 */

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { expectedOtlp } from "./otlp-expected.ts";
import { fillQueue, run, simplify, startHarness } from "./support.ts";
import { until } from "../support/until.ts";

const sender = join(import.meta.dir, "clients/otlp-send.cjs");
const N = 30;
const KINDS = ["http-json", "http-proto", "grpc"] as const;

function url(h: Awaited<ReturnType<typeof startHarness>>, kind: (typeof KINDS)[number]): string {
  return kind === "grpc" ? `http://127.0.0.1:${h.port("grpc")}` : `http://127.0.0.1:${h.port("http")}/v1/logs`;
}

describe("OpenTelemetry SDK exporters", () => {
  for (const kind of KINDS) {
    for (const gzip of [false, true]) {
      test(`${kind}${gzip ? " with gzip" : ""}: every record stored as sent, every export acknowledged once durable`, async () => {
        await using h = await startHarness({ type: "otlp", listen: ["http://127.0.0.1:0", "grpc://127.0.0.1:0"] });
        const out = await run([process.execPath, sender, kind, url(h, kind), String(N), ...(gzip ? ["gzip"] : []), "batch=8"]);
        const s = h.receiver.stats();
        const sorted = simplify(h.records()).sort((a, b) => a.sourceTs - b.sourceTs);
        expect({ out: out.trim().split("\n"), records: sorted, acked: s.acked, dropped: s.dropped }).toEqual({
          out: ["results 0,0,0,0", `sent ${N}`],
          records: Array.from({ length: N }, (_, i) => expectedOtlp(i)),
          acked: N,
          dropped: {},
        });
      });
    }
  }

  for (const kind of ["http-json", "http-proto"] as const) {
    test(`${kind}: a full queue refuses the export with a retry hint; the exporter retries and nothing is lost`, async () => {
      await using h = await startHarness({ type: "otlp", listen: ["http://127.0.0.1:0", "grpc://127.0.0.1:0"] }, { maxQueuedRecords: 1 });
      // Hold appends until the receiver has refused an export, with the queue at its bound.
      const open = await fillQueue(h);
      const client = run([process.execPath, sender, kind, url(h, kind), "9", "batch=9"]);
      await until(() => (h.receiver.stats().dropped.queue_full ?? 0) >= 1, { what: "the export to be refused", timeoutMs: 20_000 });
      open();
      const out = await client;
      await h.pipeline.drain();
      const s = h.receiver.stats();
      expect({ out: out.trim().split("\n"), stored: simplify(h.records()).filter((r) => r.sourceTs > 1).length, acked: s.acked, refused: s.dropped.queue_full! >= 1 }).toEqual({
        out: ["results 0", "sent 9"],
        stored: 9,
        acked: 9,
        refused: true,
      });
    }, 30_000);
  }

  test("grpc: a full queue refuses the export with RESOURCE_EXHAUSTED, which the exporter reports; once there is room it goes through", async () => {
    await using h = await startHarness({ type: "otlp", listen: ["grpc://127.0.0.1:0"] }, { maxQueuedRecords: 1 });
    const open = await fillQueue(h);
    const refused = await run([process.execPath, sender, "grpc", url(h, "grpc"), "9", "batch=9"]).catch((e: Error) => e.message);
    open();
    await h.pipeline.drain();
    const out = await run([process.execPath, sender, "grpc", url(h, "grpc"), "9", "batch=9"]);
    const s = h.receiver.stats();
    expect({ refused: /export error: 8 RESOURCE_EXHAUSTED: ingest queue full, retry later/.test(refused), out: out.trim().split("\n"), stored: simplify(h.records()).filter((r) => r.sourceTs > 1).length, acked: s.acked, queueFull: s.dropped.queue_full }).toEqual({
      refused: true,
      out: ["results 0", "sent 9"],
      stored: 9,
      acked: 9,
      queueFull: 1,
    });
  }, 30_000);
});
