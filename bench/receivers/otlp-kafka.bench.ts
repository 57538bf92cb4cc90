/**
 * OTLP and Kafka throughput through the compiled server (`dist/gastrolog serve --receiver
 * otlp=http://... --receiver otlp=grpc://... --receiver kafka=kafka://...`, file store, fsync
 * per group commit), each real client beside the same client against a trivial reference in
 * the same run, so the client's own ceiling is visible: the OpenTelemetry JS SDK's exporters
 * (HTTP protobuf, HTTP JSON, gRPC; 2048-record exports, timed to the last answer; one exporter
 * sends one export at a time and each answer waits for its fsync, so rows with 4 exporters at
 * once show how their exports share group commits) against
 * otlp-refs.ts's discard listeners, and the Kafka receiver draining a topic pre-filled by kcat
 * into librdkafka's mock cluster against the same kafkajs consumer discarding and committing
 * (kafka-load.cjs), both timed from the first message to the last (group join excluded).
 * Before its measured rows, each OTLP server takes one untimed warm-up pass of every row's
 * clients (a tenth of the records) and seals what it stored, so no row pays for the server's
 * cold JIT and the measured rows fill chunks (and are charged their seals) as on a fresh server.
 * Targets: OTLP >= 100k records/s, Kafka >= 200k records/s, or the client's ceiling.
 */

import { join } from "node:path";
import { KCAT, produce, startMockCluster } from "../../test/receivers/kafka-mock.ts";
import { fmt, printTable } from "../corpus.ts";
import { ensureBinary, median } from "../proc.ts";
import type { BenchOptions } from "../run.ts";
import { freePort, loadClient, startBenchServer, type BenchServer } from "./bench-server.ts";
import type { Sink } from "./forward-refs.ts";
import { otlpGrpcSink, otlpHttpSink } from "./otlp-refs.ts";

const OTLP_TARGET = 100_000;
const KAFKA_TARGET = 200_000;
const TOPIC = "bench";

interface Server extends BenchServer {
  http: number;
  grpc: number;
}

/** A server with the two OTLP receivers (the Kafka one runs alone, so its seals do not load these). */
async function startOtlpServer(bin: string): Promise<Server> {
  const [http, grpc] = [freePort(), freePort()];
  const srv = await startBenchServer(bin, ["--receiver", `otlp=http://127.0.0.1:${http}`, "--receiver", `otlp=grpc://127.0.0.1:${grpc}`]);
  return { ...srv, http, grpc };
}

/** Seconds from the first stored record of `name` to `n` stored (status polled every 20 ms, light on the server). */
async function drained(srv: BenchServer, name: string, n: number): Promise<number> {
  while ((await srv.stored(name)) === 0) await Bun.sleep(20);
  const t0 = performance.now();
  while ((await srv.stored(name)) < n) await Bun.sleep(20);
  return (performance.now() - t0) / 1000;
}

export async function runOtlpKafkaBench(o: BenchOptions): Promise<void> {
  if (!KCAT) {
    console.log("skipped: needs kcat (librdkafka's mock cluster; .ci/install-deps installs it)");
    return;
  }
  const bin = ensureBinary();
  const runs = o.quick ? 1 : 3;
  const n = o.quick ? 20_000 : 200_000;
  const kafkaN = o.quick ? 20_000 : 400_000;
  const load = (kind: string, url: string, count = n) => [process.execPath, join(import.meta.dir, "otlp-load.cjs"), kind, url, String(count)];
  // Several exporters at once (the Collector's sending_queue consumers, several app instances): their exports share group commits.
  const parallel = async (k: number, kind: string, url: string, count: number) => {
    const reports = await Promise.all(Array.from({ length: k }, () => loadClient(load(kind, url, count / k))));
    return { sent: count, seconds: Math.max(...reports.map((r) => r.seconds)) };
  };
  const httpUrl = (p: number) => `http://127.0.0.1:${p}/v1/logs`;
  const cases: { label: string; target: number; ref: () => Promise<Sink> | Sink; port: (s: Server) => number; run: (port: number, count: number) => Promise<{ sent: number; seconds: number }> }[] = [
    { label: "SDK OTLP/HTTP protobuf exporter -> otlp", target: OTLP_TARGET, ref: otlpHttpSink, port: (s) => s.http, run: (p, k) => loadClient(load("http-proto", httpUrl(p), k)) },
    { label: "SDK OTLP/HTTP JSON exporter -> otlp", target: OTLP_TARGET, ref: otlpHttpSink, port: (s) => s.http, run: (p, k) => loadClient(load("http-json", httpUrl(p), k)) },
    { label: "SDK OTLP/gRPC exporter -> otlp", target: OTLP_TARGET, ref: otlpGrpcSink, port: (s) => s.grpc, run: (p, k) => loadClient(load("grpc", `http://127.0.0.1:${p}`, k)) },
    { label: "4 SDK OTLP/HTTP protobuf exporters -> otlp", target: OTLP_TARGET, ref: otlpHttpSink, port: (s) => s.http, run: (p, k) => parallel(4, "http-proto", httpUrl(p), k) },
    { label: "4 SDK OTLP/gRPC exporters -> otlp", target: OTLP_TARGET, ref: otlpGrpcSink, port: (s) => s.grpc, run: (p, k) => parallel(4, "grpc", `http://127.0.0.1:${p}`, k) },
  ];
  const ref = cases.map(() => [] as number[]);
  const ours = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  const kafkaRef: number[] = [];
  const kafkaOurs: number[] = [];
  const kafkaCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    await using cluster = await startMockCluster();
    for (let i = 0; i < kafkaN; i += 50_000) await produce(cluster.bootstrap, TOPIC, Array.from({ length: Math.min(50_000, kafkaN - i) }, (_, j) => `k${i + j}:GET /api/items/${i + j} 200 ${(i + j) % 997}ms`));
    kafkaRef.push((await loadClient([process.execPath, join(import.meta.dir, "kafka-load.cjs"), cluster.bootstrap, TOPIC, String(kafkaN)])).seconds);
    for (const [k, c] of cases.entries()) {
      const sink = await c.ref();
      try {
        ref[k]!.push((await c.run(sink.port, n)).seconds);
      } finally {
        sink.stop();
      }
    }
    const srv = await startOtlpServer(bin);
    try {
      for (const c of cases) await c.run(c.port(srv), n / 10);
      await srv.sealActive();
      for (const [k, c] of cases.entries()) {
        const c0 = srv.cpuSeconds();
        ours[k]!.push((await c.run(c.port(srv), n)).seconds);
        cpu[k]!.push(((srv.cpuSeconds() - c0) * 1e6) / n);
      }
    } finally {
      await srv.stop();
    }
    const consumer = await startBenchServer(bin, ["--receiver", `kafka=kafka://${cluster.bootstrap}/${TOPIC}?group=bench-${Date.now()}&start=earliest`]);
    try {
      const cpu0 = consumer.cpuSeconds();
      kafkaOurs.push(await drained(consumer, "kafka-", kafkaN));
      kafkaCpu.push(((consumer.cpuSeconds() - cpu0) * 1e6) / kafkaN);
    } finally {
      await consumer.stop();
    }
  }
  const row = (label: string, count: number, target: number, refS: number[], oursS: number[], us: number[]) => {
    const oursRate = count / median(oursS);
    const refRate = count / median(refS);
    const verdict = oursRate >= target ? `PASS >=${target / 1000}k` : oursRate >= 0.9 * refRate ? "client ceiling (>=90% of ref)" : `MISS <${target / 1000}k`;
    return [label, fmt(count, 0), fmt(refRate / 1000, 1) + "k", fmt(oursRate / 1000, 1) + "k", fmt(oursRate / refRate, 2), fmt(median(us), 1), verdict];
  };
  const rows = cases.map((c, k) => row(c.label, n, c.target, ref[k]!, ours[k]!, cpu[k]!));
  rows.push(row("kafka topic (kcat-filled) -> kafka receiver", kafkaN, KAFKA_TARGET, kafkaRef, kafkaOurs, kafkaCpu));
  console.log(`OTLP rows measured after one untimed warm-up pass of every row (${fmt(n / 10, 0)} records each) on the same server, its chunk sealed`);
  printTable([`client -> server (records/s, median of ${runs})`, "records", "reference", "gastrolog serve", "ours / ref", "server CPU µs/record", "target"], rows);
}
