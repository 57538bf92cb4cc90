/**
 * The Kafka receiver through the compiled server, against librdkafka's mock cluster (kcat):
 * a server killed with SIGKILL in the middle of a stream and restarted on the same data loses
 * nothing, and every message it stores twice (read again because its offset was not committed
 * yet) is counted as a duplicate; two servers in one consumer group split the partitions
 * between them, each storing its own share once. The duplicates also show on /metrics.
 */

import { describe, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { Kafka, logLevel } from "kafkajs";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { KCAT, produce, startMockCluster } from "./receivers/kafka-mock.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";
import { until } from "./support/until.ts";

function api(s: ServeProc) {
  const t = socketTransport(s.socket);
  return { life: createClient(LifecycleService, t), query: createClient(QueryService, t) };
}

/** "partition:offset" of every stored Kafka record, in storage order. */
async function stored(s: ServeProc): Promise<string[]> {
  const out: string[] = [];
  for await (const m of api(s).query.search({ query: { text: "limit=1000000" } })) for (const h of m.hits) out.push(`${h.record!.attrs.partition}:${h.record!.attrs.offset}`);
  return out;
}

async function kafkaStatus(s: ServeProc): Promise<{ records: number; duplicates: number }> {
  const r = (await api(s).life.status({})).receivers.find((x) => x.type === "kafka");
  return { records: Number(r?.records ?? 0), duplicates: Number(r?.duplicates ?? 0) };
}

/** Every "partition:offset" a topic holds, read with kafkajs's admin client. */
async function topicOffsets(bootstrap: string, topic: string): Promise<string[]> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.flatMap((p) => Array.from({ length: Number(p.high) }, (_, i) => `${p.partition}:${i}`)).sort();
  } finally {
    await admin.disconnect();
  }
}

/** Partitions of the last assignment a server logged ("joined consumer group G, assigned shared[0,2]"). */
function assigned(s: ServeProc): string[] | undefined {
  const joins = s.logs.filter((l) => typeof l.msg === "string" && l.msg.includes("joined consumer group"));
  const m = /assigned shared\[([\d,]*)\]/.exec(String(joins.at(-1)?.msg ?? ""));
  return m ? m[1]!.split(",").filter((p) => p !== "") : undefined;
}

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `k${from + i}:message ${from + i}`);

describe.skipIf(!KCAT)("kafka through the binary (needs kcat)", () => {
  test("kill -9 in the middle of a stream, restart: nothing lost, stored twice = counted as duplicates", async () => {
    await using cluster = await startMockCluster();
    const { dir, cleanup } = serverDir();
    const flag = ["--receiver", `kafka=kafka://${cluster.bootstrap}/logs?group=crash&start=earliest&sessionTimeoutMs=6000`];
    try {
      await produce(cluster.bootstrap, "logs", lines(0, 2000));
      const first = await startServe(dir, flag);
      // A producer keeps the stream going; the server is killed while it is consuming it.
      let sent = 2000;
      let producing = true;
      const producer = (async () => {
        while (producing) {
          await produce(cluster.bootstrap, "logs", lines(sent, 300));
          sent += 300;
        }
      })();
      await until(async () => (await kafkaStatus(first)).records > 4000, { what: "the first server to be in the middle of the stream", timeoutMs: 60_000, pollMs: 5 });
      first.proc.kill("SIGKILL");
      await first.exited;
      producing = false;
      await producer;
      await produce(cluster.bootstrap, "logs", lines(sent, 3000));
      sent += 3000;
      const again = await startServe(dir, flag);
      const want = await topicOffsets(cluster.bootstrap, "logs");
      let got: string[] = [];
      await until(async () => new Set((got = await stored(again))).size === want.length, { what: `all ${want.length} messages stored`, timeoutMs: 90_000, pollMs: 500, detail: () => `${new Set(got).size} distinct stored` });
      const status = await kafkaStatus(again);
      const metrics = await (await fetch(`http://${again.http}/metrics`)).text();
      const metric = (name: string) => Number(new RegExp(`^${name}\\{receiver="kafka-kafka-[0-9a-f]{8}",type="kafka"\\} (\\d+)$`, "m").exec(metrics)?.[1]);
      again.proc.kill("SIGTERM");
      expect(await again.exited).toBe(0);
      expect({ messages: want.length, distinct: [...new Set(got)].sort(), duplicatesCounted: status.duplicates, duplicatesMetric: metric("gastrolog_receiver_duplicate_records_total"), recordsMetric: metric("gastrolog_receiver_records_total") }).toEqual({
        messages: sent,
        distinct: want,
        duplicatesCounted: got.length - want.length,
        duplicatesMetric: got.length - want.length,
        recordsMetric: status.records,
      });
    } finally {
      cleanup();
    }
  }, 240_000);

  test("two servers in one consumer group split the partitions, each message stored once", async () => {
    await using cluster = await startMockCluster();
    // Creates the topic (4 partitions) with one message, 0:0, read before the second server joins.
    await produce(cluster.bootstrap, "shared", lines(0, 1), { partition: 0 });
    const a = serverDir();
    const b = serverDir();
    const flag = ["--receiver", `kafka=kafka://${cluster.bootstrap}/shared?group=pair&start=earliest&sessionTimeoutMs=6000`];
    const started: ServeProc[] = [];
    try {
      const one = await startServe(a.dir, flag);
      started.push(one);
      const two = await startServe(b.dir, flag);
      started.push(two);
      // Stable once each server's latest assignment is its share of the 4 partitions.
      // Both must hold a share: the first server alone holds all 4 until the group rebalances.
      const shares = () => [assigned(one) ?? [], assigned(two) ?? []];
      await until(() => shares().every((s) => s.length > 0) && shares().flat().length === 4 && new Set(shares().flat()).size === 4, {
        what: "both servers in the group with 4 partitions between them",
        timeoutMs: 60_000,
        pollMs: 200,
        detail: () => `${assigned(one)} / ${assigned(two)}`,
      });
      await produce(cluster.bootstrap, "shared", lines(1, 4000));
      const want = await topicOffsets(cluster.bootstrap, "shared");
      let x: string[] = [];
      let y: string[] = [];
      await until(async () => new Set([...(x = await stored(one)), ...(y = await stored(two))]).size === want.length, { what: "every message stored by one of the two", timeoutMs: 90_000, pollMs: 500 });
      for (const s of [one, two]) s.proc.kill("SIGTERM");
      expect([await one.exited, await two.exited]).toEqual([0, 0]);
      const partitions = (rs: string[]) => [...new Set(rs.filter((r) => r !== "0:0").map((r) => r.split(":")[0]))].sort();
      expect({ union: [...x, ...y].sort(), partitions: [partitions(x), partitions(y)] }).toEqual({ union: want, partitions: [assigned(one)!.sort(), assigned(two)!.sort()] });
      expect(assigned(one)!.length > 0 && assigned(two)!.length > 0).toBe(true);
    } finally {
      // A failed expectation must not leave the servers running.
      for (const s of started) if (s.proc.exitCode === null) s.proc.kill("SIGKILL");
      await Promise.all(started.map((s) => s.exited));
      a.cleanup();
      b.cleanup();
    }
  }, 240_000);
});
