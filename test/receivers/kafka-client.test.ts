/**
 * Kafka receiver against librdkafka's mock cluster (a real Kafka-protocol broker, started by
 * kcat), fed by kcat: every codec (none, gzip, snappy, lz4, zstd) with keys and headers, topics
 * by regular expression, start=latest, offsets committed only after durability (read back with
 * a kafkajs admin client; a failed append commits nothing and the partition is read again; a
 * stop commits what was already queued once it is durable), and the message a receiver gives
 * when no broker answers.
 */

import { describe, expect, test } from "bun:test";
import { IngestPipeline } from "../../src/ingest/pipeline/pipeline.ts";
import type { ReceiverEvent } from "../../src/ingest/receivers/receiver.ts";
import { createReceiver } from "../../src/ingest/receivers/registry.ts";
import { committed, KCAT, produce, startMockCluster } from "./kafka-mock.ts";
import { simplify, startHarness } from "./support.ts";
import { until } from "../support/until.ts";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

describe.skipIf(!KCAT)("kafka receiver with kcat's mock cluster (needs kcat)", () => {
  test("every codec, keys and headers: records stored with topic/partition/offset/key/header attrs and the record time; offsets committed once durable", async () => {
    await using cluster = await startMockCluster();
    const before = Date.now() * 1000;
    for (const codec of CODECS) await produce(cluster.bootstrap, "logs", Array.from({ length: 5 }, (_, i) => `key-${codec}-${i}:${codec} message ${i}`), { ...(codec === "none" ? {} : { codec }), headers: [`codec=${codec}`, "team=core"] });
    const after = Date.now() * 1000;
    await using h = await startHarness({ type: "kafka", listen: [`kafka://${cluster.bootstrap}/logs?group=g1&start=earliest`] });
    await h.appender.waitFor(25, 30_000);
    await until(async () => Object.values(await committed(cluster.bootstrap, "g1", "logs")).reduce((n, o) => n + Number(o), 0) === 25, { what: "25 committed offsets", timeoutMs: 20_000, pollMs: 100 });
    // The broker holds the commit before the receiver has read its answer and counted the records acked.
    await until(() => h.receiver.stats().acked >= 25, { what: "25 records counted as acked", timeoutMs: 10_000 });
    const rs = simplify(h.records());
    const byRaw = Object.fromEntries(rs.map((r) => [r.raw, r]));
    expect(Object.keys(byRaw).sort()).toEqual(CODECS.flatMap((c) => Array.from({ length: 5 }, (_, i) => `${c} message ${i}`)).sort());
    for (const r of rs) {
      const [codec, , i] = r.raw.split(" ");
      const attrs: Record<string, string> = { ...r.attrs, partition: "p", offset: "o" };
      expect(attrs).toEqual({ receiver: "r1", topic: "logs", partition: "p", offset: "o", key: `key-${codec}-${i}`, "header.codec": codec!, "header.team": "core" });
      expect(r.sourceTs >= Math.floor(before / 1000) * 1000 && r.sourceTs <= after).toBe(true);
    }
    // Offsets per partition are consecutive from 0, as Kafka assigned them.
    const perPartition = new Map<string, number[]>();
    for (const r of rs) perPartition.set(r.attrs.partition!, [...(perPartition.get(r.attrs.partition!) ?? []), Number(r.attrs.offset)]);
    for (const offs of perPartition.values()) expect(offs.sort((a, b) => a - b)).toEqual(offs.map((_, i) => i));
    expect({ acked: h.receiver.stats().acked, duplicates: h.receiver.stats().duplicates, dropped: h.receiver.stats().dropped }).toEqual({ acked: 25, duplicates: 0, dropped: {} });
  }, 60_000);

  test("a failed append commits nothing and reads the partition again from its last durable offset", async () => {
    await using cluster = await startMockCluster();
    await produce(cluster.bootstrap, "retry", Array.from({ length: 6 }, (_, i) => `k${i}:retry ${i}`), { partition: 2 });
    await using h = await startHarness({ type: "kafka", listen: [`kafka://${cluster.bootstrap}/retry?group=g4&start=earliest`] });
    const append = h.appender.append.bind(h.appender);
    let failing = true;
    h.appender.append = (rs) => (failing ? Promise.reject(new Error("disk full")) : append(rs));
    await until(() => h.pipeline.stats().appendErrors >= 1, { what: "an append to fail", timeoutMs: 20_000 });
    const afterFailure = await committed(cluster.bootstrap, "g4", "retry");
    failing = false;
    await h.appender.waitFor(6, 30_000);
    await until(async () => (await committed(cluster.bootstrap, "g4", "retry"))[2] === "6", { what: "offset 6 committed", timeoutMs: 20_000, pollMs: 100 });
    expect({ afterFailure, stored: simplify(h.records()).map((r) => r.raw) }).toEqual({ afterFailure: {}, stored: Array.from({ length: 6 }, (_, i) => `retry ${i}`) });
  }, 60_000);

  test("a stop while fetched batches are still being made durable commits their offsets before leaving the group", async () => {
    await using cluster = await startMockCluster();
    await produce(cluster.bootstrap, "stop", Array.from({ length: 8 }, (_, i) => `k${i}:stop ${i}`), { partition: 1 });
    await using h = await startHarness({ type: "kafka", listen: [`kafka://${cluster.bootstrap}/stop?group=g6&start=earliest`] });
    const append = h.appender.append.bind(h.appender);
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    h.appender.append = async (rs) => {
      await gate;
      return append(rs);
    };
    await until(() => h.receiver.stats().messages >= 8, { what: "8 messages queued", timeoutMs: 20_000 });
    const stopping = h.receiver.stop();
    const whileHeld = { committed: await committed(cluster.bootstrap, "g6", "stop"), stored: h.appender.appended };
    open();
    await stopping;
    expect({ whileHeld, committed: await committed(cluster.bootstrap, "g6", "stop"), stored: h.appender.appended }).toEqual({ whileHeld: { committed: {}, stored: 0 }, committed: { 1: "8" }, stored: 8 });
  }, 60_000);

  test("topics by regular expression; start=latest skips what was there before the group first read", async () => {
    await using cluster = await startMockCluster();
    await produce(cluster.bootstrap, "app-a", ["k:old a"]);
    await produce(cluster.bootstrap, "app-b", ["k:old b"]);
    await produce(cluster.bootstrap, "other", ["k:other"]);
    await using h = await startHarness({ type: "kafka", listen: [`kafka://${cluster.bootstrap}/?group=g2`], options: { topicPattern: "^app-" } });
    // The group's start offsets are fixed when it is first assigned: keep producing until one arrives.
    let n = 0;
    await until(
      async () => {
        await produce(cluster.bootstrap, `app-${n % 2 === 0 ? "a" : "b"}`, [`k:new ${n++}`]);
        return h.records().length > 0;
      },
      { what: "a new message to arrive", timeoutMs: 30_000, pollMs: 200 },
    );
    await produce(cluster.bootstrap, "app-b", ["k:last"]);
    await until(() => h.records().some((r) => new TextDecoder().decode(r.raw) === "last"), { what: "the last message", timeoutMs: 20_000 });
    const raws = simplify(h.records()).map((r) => r.raw);
    expect({ old: raws.filter((r) => r.startsWith("old") || r === "other"), topics: [...new Set(simplify(h.records()).map((r) => r.attrs.topic))].sort() }).toEqual({ old: [], topics: expect.arrayContaining(["app-b"]) as never });
  }, 60_000);

  test("no broker at the address: the receiver fails with a message naming the brokers and what to check, and retries", async () => {
    const events: ReceiverEvent[] = [];
    const pipeline = new IngestPipeline({ append: () => Promise.resolve() });
    const r = createReceiver({ id: "k", type: "kafka", listen: ["kafka://127.0.0.1:1/logs?group=g3&connectTimeoutMs=500"] }, { pipeline, onEvent: (e) => events.push(e) });
    try {
      await r.start();
      expect({ state: r.stats().state, kinds: events.filter((e) => e.kind !== "read").map((e) => e.kind) }).toEqual({ state: "failed", kinds: ["bind", "restart"] });
      expect(r.stats().lastError).toStartWith("cannot listen on kafka://127.0.0.1:1/logs?group=g3&connectTimeoutMs=500: cannot reach the Kafka brokers 127.0.0.1:1 or subscribe to logs (");
      expect(r.stats().lastError).toEndWith("); check that the brokers are up at those addresses, the topics exist, and the tls/sasl options");
    } finally {
      await r.stop();
    }
  }, 30_000);
});
