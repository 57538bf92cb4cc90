/**
 * Receiver benchmark: messages sent by a separate process (sender.ts) through a running
 * receiver and the ingest pipeline into a file store with worker sealing and index builds
 * (64 MiB rotation). Syslog over TCP (octet-counted) and HTTP NDJSON in durable messages/s;
 * UDP at 100k datagrams/s with loss counted, then rising rates to find the highest zero-loss
 * one. Reference pairs from the same run: the same sender into a minimal Bun TCP sink that
 * counts newlines, and into a node:dgram sink that counts datagrams.
 */

import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type OpenedStore } from "../../src/app/stores.ts";
import type { RecordInput } from "../../src/core/record.ts";
import { storeAppender } from "../../src/ingest/pipeline/appender.ts";
import { IngestPipeline } from "../../src/ingest/pipeline/pipeline.ts";
import type { Receiver, ReceiverConfig } from "../../src/ingest/receivers/receiver.ts";
import { createReceiver } from "../../src/ingest/receivers/registry.ts";
import { fmt, printTable } from "../corpus.ts";
import type { BenchOptions } from "../run.ts";

const SENDER = join(import.meta.dir, "sender.ts");
const TARGET_TCP = 150_000;

function send(mode: string, port: number, count: number, rate = 0): Promise<{ sent: number; seconds: number }> {
  const p = Bun.spawn([process.execPath, SENDER, mode, String(port), String(count), String(rate)], { stdout: "pipe", stderr: "inherit" });
  return new Response(p.stdout).text().then((t) => JSON.parse(t));
}

/** A store with indexing on, a pipeline, and one receiver; counts durable records. */
async function rig(config: Omit<ReceiverConfig, "id">, rotateMiB = 64) {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-recv-"));
  const opened: OpenedStore = await openStore(dir, "bench", { rotation: { maxBytes: rotateMiB * 2 ** 20 } });
  const inner = storeAppender(opened.store);
  let durable = 0;
  let first = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  const pipeline = new IngestPipeline({
    async append(rs: RecordInput[]) {
      if (first === 0) first = performance.now();
      await inner.append(rs);
      durable += rs.length;
      if (waiter && durable >= waiter.n) waiter.resolve();
    },
  });
  const receiver: Receiver = createReceiver({ id: "bench", ...config }, { pipeline });
  await receiver.start();
  const url = receiver.stats().listening[0]!;
  return {
    receiver,
    port: Number(url.slice(url.lastIndexOf(":") + 1)),
    /** Resolves with seconds from the first append to n durable records. */
    until(n: number): Promise<number> {
      return new Promise((resolve) => {
        waiter = { n, resolve: () => resolve((performance.now() - first) / 1000) };
        if (durable >= n) waiter.resolve();
      });
    },
    async close() {
      await receiver.stop();
      await pipeline.drain();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reference: a Bun TCP sink that only counts newlines. */
async function tcpReference(n: number): Promise<number> {
  let lines = 0;
  let first = 0;
  let resolve: (s: number) => void = () => {};
  const done = new Promise<number>((r) => (resolve = r));
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(_s, d) {
        if (first === 0) first = performance.now();
        let i = d.indexOf(10);
        while (i >= 0) {
          lines++;
          i = d.indexOf(10, i + 1);
        }
        if (lines >= n) resolve((performance.now() - first) / 1000);
      },
    },
  });
  await send("tcp-lf", server.port, n);
  const s = await done;
  server.stop(true);
  return s;
}

/** Reference: a node:dgram sink counting datagrams at `rate`; returns how many arrived. */
async function udpReference(n: number, rate: number): Promise<number> {
  const sock = dgram.createSocket({ type: "udp4", recvBufferSize: 8 << 20 });
  let got = 0;
  sock.on("message", () => got++);
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  await send("udp", sock.address().port, n, rate);
  await Bun.sleep(200);
  sock.close();
  return got;
}

/**
 * UDP into the syslog receiver at `rate`. `stored`: durable records; `kernelLost`: datagrams that
 * never reached the receiver (socket buffer overflow); `dropped`: counted by the receiver.
 */
async function udpRun(n: number, rate: number): Promise<{ stored: number; kernelLost: number; dropped: number }> {
  const r = await rig({ type: "syslog", listen: ["udp://127.0.0.1:0"] });
  await send("udp", r.port, n, rate);
  await Promise.race([r.until(n), Bun.sleep(2000)]);
  await r.receiver.stop();
  const s = r.receiver.stats();
  await r.close();
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  return { stored: s.stored, kernelLost: n - s.messages - dropped, dropped };
}

export async function runReceiverBench(o: BenchOptions): Promise<void> {
  const n = o.quick ? 100_000 : 1_000_000;
  const rows: string[][] = [];
  const refTcp = await tcpReference(n);
  rows.push(["reference: Bun TCP sink counting LFs", fmt(n, 0), fmt(n / refTcp / 1000, 0) + "k", "-", "1.00"]);

  for (const rotate of [64, 0]) {
    const tcp = await rig({ type: "syslog", listen: ["tcp://127.0.0.1:0"] }, rotate);
    const tcpDone = tcp.until(n);
    await send("tcp-octet", tcp.port, n);
    const tcpSeconds = await tcpDone;
    await tcp.close();
    const tcpRate = n / tcpSeconds;
    const label = rotate > 0 ? "syslog TCP octet -> store, 64 MiB seals+indexes during run" : "syslog TCP octet -> store, no seal during run";
    rows.push([label, fmt(n, 0), fmt(tcpRate / 1000, 0) + "k", tcpRate >= TARGET_TCP ? "PASS >=150k" : "MISS <150k", fmt(refTcp / tcpSeconds, 2)]);
  }

  const http = await rig({ type: "http", listen: ["http://127.0.0.1:0"] });
  const httpDone = http.until(n);
  await send("http-ndjson", http.port, n);
  const httpSeconds = await httpDone;
  await http.close();
  rows.push(["HTTP NDJSON (1000-line POSTs, 4 in flight) -> store, 64 MiB seals", fmt(n, 0), fmt(n / httpSeconds / 1000, 0) + "k", "-", fmt(refTcp / httpSeconds, 2)]);
  printTable(["path (durable messages/s)", "messages", "msgs/s", "target", "reference time ratio"], rows);

  const udpN = o.quick ? 100_000 : 1_000_000;
  const udpRows: string[][] = [];
  const refGot = await udpReference(udpN, 100_000);
  udpRows.push(["reference: node:dgram sink counting", fmt(udpN, 0), "100k", fmt(refGot, 0), fmt(udpN - refGot, 0), "-", "-"]);
  const row = (label: string, count: number, rate: number, r: { stored: number; kernelLost: number; dropped: number }) => {
    const ok = r.stored === count;
    udpRows.push([label, fmt(count, 0), fmt(rate / 1000, 0) + "k", fmt(r.stored, 0), fmt(r.kernelLost, 0), fmt(r.dropped, 0), ok ? "zero loss" : "LOSS"]);
    return ok;
  };
  let best = row("syslog UDP -> durable store", udpN, 100_000, await udpRun(udpN, 100_000)) ? 100_000 : 0;
  if (!o.quick) {
    for (const rate of best > 0 ? [150_000, 200_000, 300_000] : [75_000, 50_000]) {
      const ok = row("syslog UDP rate search", 300_000, rate, await udpRun(300_000, rate));
      if (ok && rate > best) best = rate;
      if (best >= 100_000 ? !ok : ok) break;
    }
  }
  printTable(["UDP path", "datagrams", "rate/s", "stored", "kernel lost", "receiver drops", "verdict"], udpRows);
  console.log(`UDP 1M at 100k/s: ${best >= 100_000 ? "PASS" : "MISS"}; highest zero-loss rate tried: ${best > 0 ? fmt(best / 1000, 0) + "k/s" : "none"}`);
}
