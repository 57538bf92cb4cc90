/**
 * Kafka receiver with SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and TLS through a SASL-checking
 * front (kafka-sasl-front.ts) before librdkafka's mock cluster, which has no SASL or TLS of its
 * own, and no real broker is installable here. What this verifies: the receiver's sasl options reach
 * kafkajs, which authenticates every connection it opens with the configured mechanism and
 * credentials (PLAIN checked byte for byte, SCRAM's client proof checked and the server
 * signature accepted), then consumes and commits through it; a wrong password or user ends in
 * a failed receiver whose error names the authentication failure and the options to check,
 * retried, without crashing; with tls=true and caFile, the same over TLS (SASL_SSL), and a
 * certificate the receiver does not trust is refused with a clear error. What it does not verify: a real broker's SASL implementation
 * (Kafka's own SCRAM credential store, re-authentication, SASL_SSL with TLS).
 */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IngestPipeline } from "../../src/ingest/pipeline/pipeline.ts";
import type { ReceiverEvent } from "../../src/ingest/receivers/receiver.ts";
import { createReceiver } from "../../src/ingest/receivers/registry.ts";
import { KCAT, produce, startMockCluster } from "./kafka-mock.ts";
import { startSaslFront, type Mechanism } from "./kafka-sasl-front.ts";
import { selfSigned, simplify, startHarness } from "./support.ts";

const MECHANISMS: [Mechanism, string][] = [
  ["PLAIN", "plain"],
  ["SCRAM-SHA-256", "scram-sha-256"],
  ["SCRAM-SHA-512", "scram-sha-512"],
];

describe.skipIf(!KCAT)("kafka receiver with SASL through a SASL-checking front (needs kcat)", () => {
  for (const [mechanism, option] of MECHANISMS) {
    test(`sasl=${option}: every connection authenticates, messages are consumed`, async () => {
      await using cluster = await startMockCluster();
      await produce(cluster.bootstrap, "secure", Array.from({ length: 20 }, (_, i) => `k${i}:secure ${i}`));
      await using front = await startSaslFront(cluster.bootstrap, mechanism, "gastrolog", "s3cret=,pw");
      await using h = await startHarness({ type: "kafka", listen: [`kafka://${front.address}/secure?group=s1&start=earliest`], options: { sasl: option, saslUsername: "gastrolog", saslPassword: "s3cret=,pw" } });
      await h.appender.waitFor(20, 30_000);
      expect({ stored: simplify(h.records()).map((r) => r.raw).sort(), failed: front.failed }).toEqual({ stored: Array.from({ length: 20 }, (_, i) => `secure ${i}`).sort(), failed: 0 });
      // The bootstrap connection, the broker's and the coordinator's each authenticated.
      expect(front.authenticated[mechanism]! >= 2).toBe(true);
    }, 60_000);
  }

  for (const [mechanism, option] of [MECHANISMS[0]!, MECHANISMS[2]!]) {
    test(`sasl=${option} with a wrong password: the receiver fails with the authentication error and what to check, and retries`, async () => {
      await using cluster = await startMockCluster();
      await produce(cluster.bootstrap, "secure", ["k:never read"]);
      await using front = await startSaslFront(cluster.bootstrap, mechanism, "gastrolog", "right");
      const events: ReceiverEvent[] = [];
      const pipeline = new IngestPipeline({ append: () => Promise.resolve() });
      const r = createReceiver({ id: "k", type: "kafka", listen: [`kafka://${front.address}/secure?group=s2&start=earliest`], options: { sasl: option, saslUsername: "gastrolog", saslPassword: "wrong" } }, { pipeline, onEvent: (e) => events.push(e) });
      try {
        await r.start();
        expect({ state: r.stats().state, kinds: events.filter((e) => e.kind !== "read").map((e) => e.kind), failed: front.failed > 0, authenticated: front.authenticated }).toEqual({ state: "failed", kinds: ["bind", "restart"], failed: true, authenticated: {} });
        expect(r.stats().lastError).toStartWith(`cannot listen on kafka://${front.address}/secure?group=s2&start=earliest: the Kafka brokers ${front.address} refused the credentials (SASL `);
        expect(r.stats().lastError).toEndWith(`authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}); check the options sasl, saslUsername and saslPassword`);
      } finally {
        await r.stop();
      }
    }, 60_000);
  }

  test("tls=true with caFile and sasl=scram-sha-256 (SASL_SSL): consumed; a certificate not trusted is refused with a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kafka-tls-"));
    try {
      const cert = await selfSigned(dir);
      await using cluster = await startMockCluster();
      await produce(cluster.bootstrap, "secure", Array.from({ length: 10 }, (_, i) => `k${i}:tls ${i}`));
      await using front = await startSaslFront(cluster.bootstrap, "SCRAM-SHA-256", "gastrolog", "pw", cert);
      const options = { sasl: "scram-sha-256", saslUsername: "gastrolog", saslPassword: "pw", tls: true };
      await using h = await startHarness({ type: "kafka", listen: [`kafka://${front.address}/secure?group=t1&start=earliest`], options: { ...options, caFile: cert.certFile } });
      await h.appender.waitFor(10, 30_000);
      expect(simplify(h.records()).map((r) => r.raw).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `tls ${i}`).sort());
      const r = createReceiver({ id: "k", type: "kafka", listen: [`kafka://${front.address}/secure?group=t2`], options }, { pipeline: new IngestPipeline({ append: () => Promise.resolve() }) });
      try {
        await r.start();
        expect(r.stats().state).toBe("failed");
        expect(r.stats().lastError).toContain("(Connection error: self signed certificate)");
        expect(r.stats().lastError).toEndWith("check that the brokers are up at those addresses, the topics exist, and the tls/sasl options");
      } finally {
        await r.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
