/**
 * Fluent Forward and Beats throughput through the compiled server (`dist/gastrolog serve
 * --receiver fluent=... --receiver beats=...`, file store, fsync per group commit), each client
 * beside the same client against a trivial reference listener in the same run (forward-refs.ts),
 * so the client's own ceiling is visible: npm fluent-logger (PackedForward, requireAckResponse,
 * 20k-event batches) and npm lumberjack-client (one window per event, acks never read: timed
 * until the server stored everything), plus fluent-bit-like and Filebeat-like senders
 * (forward-load.ts: 2048-event units, two in flight per connection) timed to the last ack.
 * A last row feeds the same binary's syslog TCP receiver (receivers.bench's octet-counted
 * sender) as a same-run reference for the store path every receiver shares. The server's CPU
 * time per event (/proc/PID/stat) is printed too: on a shared, loaded machine it says more
 * about capacity than wall-clock rates (1e6 / µs per event = events/s one core can take).
 * Before its measured rows, each server takes one untimed warm-up pass of every row (a tenth
 * of the events) and seals what it stored, so no row pays for the server's cold JIT and the
 * measured rows fill chunks (and are charged their seals) as on a fresh server.
 * Targets: Fluent >= 200k events/s, Beats >= 150k events/s, or the client's ceiling.
 */

import { join } from "node:path";
import { fmt, printTable } from "../corpus.ts";
import { ensureBinary, median } from "../proc.ts";
import { freePort, loadClient, startBenchServer, type BenchServer } from "./bench-server.ts";
import type { BenchOptions } from "../run.ts";
import { beatsAckSink, discardSink, fluentAckSink, type Sink } from "./forward-refs.ts";

const FLUENT_TARGET = 200_000;
const BEATS_TARGET = 150_000;

interface Server extends BenchServer {
  fluent: number;
  beats: number;
  syslog: number;
}

async function startServer(bin: string): Promise<Server> {
  const [fluent, beats, syslog] = [freePort(), freePort(), freePort()];
  const srv = await startBenchServer(bin, ["--receiver", `fluent=tcp://127.0.0.1:${fluent}`, "--receiver", `beats=tcp://127.0.0.1:${beats}`, "--receiver", `syslog=tcp://127.0.0.1:${syslog}`]);
  return { ...srv, fluent, beats, syslog };
}

/** receivers.bench's load generator (octet-counted RFC 5424 over one TCP connection). */
function syslogSender(port: number, count: number): Promise<{ sent: number; seconds: number }> {
  return loadClient([process.execPath, join(import.meta.dir, "sender.ts"), "tcp-octet", String(port), String(count)]);
}

async function withSink<T>(sink: Sink, f: (port: number) => Promise<T>): Promise<T> {
  try {
    return await f(sink.port);
  } finally {
    sink.stop();
  }
}

export async function runForwardBench(o: BenchOptions): Promise<void> {
  const bin = ensureBinary();
  const runs = o.quick ? 1 : 3;
  const n = o.quick ? 20_000 : 400_000;
  const slowN = o.quick ? 5_000 : 60_000;
  const load = (mode: string, port: number, count: number, conns = 1) => [process.execPath, join(import.meta.dir, "forward-load.ts"), mode, String(port), String(count), String(conns)];
  const fluentLogger = (port: number, count: number) => [process.execPath, join(import.meta.dir, "fluent-load.cjs"), String(port), String(count), String(Math.min(20000, count))];
  const cases: Case[] = [
    { label: "fluent-logger PackedForward+ack, 1 conn -> fluent", count: slowN, target: FLUENT_TARGET, ref: fluentAckSink, run: (p, k) => loadClient(fluentLogger(p, k)) },
    { label: "fluent-bit-like chunks (2048, ack), 2 conns -> fluent", count: n, target: FLUENT_TARGET, ref: fluentAckSink, run: (p, k) => loadClient(load("fluent-chunks", p, k, 2)) },
    { label: "Filebeat-like windows (2048, zlib), 1 conn -> beats", count: n, target: BEATS_TARGET, ref: beatsAckSink, run: (p, k) => loadClient(load("beats-windows", p, k, 1)) },
    { label: "Filebeat-like windows, 4 conns (worker: 4) -> beats", count: n, target: BEATS_TARGET, ref: beatsAckSink, run: (p, k) => loadClient(load("beats-windows", p, k, 4)) },
    { label: "npm lumberjack-client (1 event/window) -> beats", count: slowN, target: BEATS_TARGET, ref: discardSink, run: (p, k) => loadClient(load("lumberjack-client", p, k)) },
    { label: "store-path reference: syslog TCP octet sender -> syslog", count: n, target: 0, ref: discardSink, run: (p, k) => syslogSender(p, k) },
  ];
  const ref = cases.map(() => [] as number[]);
  const ours = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [k, c] of cases.entries()) ref[k]!.push((await withSink(c.ref(), (p) => c.run(p, c.count))).seconds);
    const srv = await startServer(bin);
    // One run of a case on the server: wall seconds until all `count` events are stored, and server CPU seconds.
    const onServer = async (c: Case, count: number) => {
      const type = c.label.slice(c.label.lastIndexOf(" ") + 1) as "fluent" | "beats" | "syslog";
      const id = `${type}-tcp-${srv[type]}`;
      const before = await srv.stored(id);
      const cpu0 = srv.cpuSeconds();
      const report = await c.run(srv[type], count);
      // Acked loads are durable when the client finishes; lumberjack-client never reads acks, so wait for the store.
      const t0 = performance.now();
      while ((await srv.stored(id)) < before + count) await Bun.sleep(10);
      return { seconds: report.seconds + (performance.now() - t0) / 1000, cpu: srv.cpuSeconds() - cpu0 };
    };
    try {
      for (const c of cases) await onServer(c, c.count / 10);
      await srv.sealActive();
      for (const [k, c] of cases.entries()) {
        const m = await onServer(c, c.count);
        ours[k]!.push(m.seconds);
        cpu[k]!.push((m.cpu * 1e6) / c.count);
      }
    } finally {
      await srv.stop();
    }
  }
  const rows = cases.map((c, k) => {
    const oursRate = c.count / median(ours[k]!);
    const refRate = c.count / median(ref[k]!);
    const verdict = c.target === 0 ? "-" : oursRate >= c.target ? `PASS >=${c.target / 1000}k` : oursRate >= 0.9 * refRate ? "client ceiling (>=90% of ref)" : `MISS <${c.target / 1000}k`;
    const storePath = c.count / median(ours[cases.length - 1]!);
    const us = median(cpu[k]!);
    return [c.label, fmt(c.count, 0), fmt(refRate / 1000, 1) + "k", fmt(oursRate / 1000, 1) + "k", fmt(oursRate / refRate, 2), fmt(oursRate / storePath, 2), fmt(us, 1), fmt(1e6 / us / 1000, 0) + "k", verdict];
  });
  console.log(`rows measured after one untimed warm-up pass of every row (a tenth of its events) on the same server, its chunk sealed`);
  printTable([`client -> server (events/s, median of ${runs})`, "events", "reference sink", "gastrolog serve", "ours / ref", "ours / syslog TCP", "server CPU µs/event", "per core", "target"], rows);
}

interface Case {
  label: string;
  count: number;
  target: number;
  ref: () => Sink;
  run: (port: number, count: number) => Promise<{ sent: number; seconds: number }>;
}
