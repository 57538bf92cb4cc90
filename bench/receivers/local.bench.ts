/**
 * Local-source receivers bench. Tail: a separate process appends 200k lines/s to a file for a
 * while; the tail receiver follows it into a file store (64 MiB rotation, seals and indexes in
 * workers) in this process. Reported: the worst lag between a line's write (its leading epoch
 * ms) and its batch being durable, the catch-up after the writer stops, and the CPU this whole
 * process used per wall second (targets: lag ≤ 1 s, ≤ 1 core). References in the same run:
 * `tail -F -n +1 FILE | wc -l` on the same load (its CPU, and that it counted every line), and
 * the same number of lines appended straight to a store like it in batches of 8192 (the
 * store's durable rate here, which bounds any receiver).
 * Docker API: a real engine (when one can start here) with a container that wrote N lines;
 * the docker receiver streams them from /containers/{id}/logs into a store (target ≥ 50k
 * lines/s); reference: the same API call read by curl into `wc -l`.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/app/stores.ts";
import type { RecordInput } from "../../src/core/record.ts";
import { PositionStore } from "../../src/ingest/checkpoint/positions.ts";
import { storeAppender } from "../../src/ingest/pipeline/appender.ts";
import { IngestPipeline } from "../../src/ingest/pipeline/pipeline.ts";
import type { ReceiverConfig } from "../../src/ingest/receivers/receiver.ts";
import { createReceiver } from "../../src/ingest/receivers/registry.ts";
import { BUSYBOX_IMAGE, startDockerEngine } from "../../test/support/docker-engine.ts";
import { fmt, printTable } from "../corpus.ts";
import { measure } from "../proc.ts";
import type { BenchOptions } from "../run.ts";

const WRITER = join(import.meta.dir, "file-writer.ts");
const RATE = 200_000;
const dec = new TextDecoder();

interface Run {
  durable: number;
  /** Worst (now - write ms of a batch's oldest line) over the run, seconds. */
  maxLag: number;
  wait(n: number, timeoutMs: number): Promise<boolean>;
  cpu(): { seconds: number; wall: number };
  close(): Promise<void>;
}

/** A file store, a pipeline that tracks lag from leading epoch-ms stamps, and one receiver. */
async function rig(dir: string, config: Omit<ReceiverConfig, "id">): Promise<Run> {
  const opened = await openStore(join(dir, "store"), "bench", { rotation: { maxBytes: 64 << 20 } });
  const inner = storeAppender(opened.store);
  const positions = new PositionStore(join(dir, "positions.sqlite"));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r: Run = {
    durable: 0,
    maxLag: 0,
    async wait(n, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (r.durable < n && performance.now() < deadline) await Bun.sleep(5);
      return r.durable >= n;
    },
    cpu() {
      const c = process.cpuUsage(cpu0);
      return { seconds: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
    },
    async close() {
      await receiver.stop();
      await pipeline.drain();
      positions.close();
      await opened.close();
    },
  };
  const pipeline = new IngestPipeline({
    async append(rs: RecordInput[]) {
      await inner.append(rs);
      r.durable += rs.length;
      const written = Number(dec.decode(rs[0]!.raw.subarray(0, 13)));
      if (written > 0) r.maxLag = Math.max(r.maxLag, (Date.now() - written) / 1000);
    },
  });
  const receiver = createReceiver({ id: "bench", ...config }, { pipeline, positions });
  await receiver.start();
  return r;
}

/** user + system CPU seconds of a running process (Linux /proc, clock ticks of 1/100 s). */
function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Lines/s of appending `n` bench-like lines straight to a fresh store (64 MiB rotation). */
async function storeRate(dir: string, n: number): Promise<number> {
  const opened = await openStore(join(dir, "direct"), "direct", { rotation: { maxBytes: 64 << 20 } });
  const attrs = Object.freeze({ receiver: "bench", file: join(dir, "app.log") });
  const enc = new TextEncoder();
  const t = performance.now();
  for (let done = 0; done < n; ) {
    const batch: RecordInput[] = [];
    for (let i = 0; i < 8192 && done < n; i++, done++) batch.push({ raw: enc.encode(`${Date.now()} seq=${done} GET /api/v1/items 200 1534 0.012 host=web-01 user=alice....`), attrs, sourceTs: 0, ingestTs: 1 });
    await opened.store.append(batch);
  }
  const seconds = (performance.now() - t) / 1000;
  await opened.close();
  return n / seconds;
}

async function writer(file: string, seconds: number): Promise<{ lines: number; seconds: number }> {
  const p = Bun.spawn([process.execPath, WRITER, file, String(RATE), String(seconds)], { stdout: "pipe", stderr: "inherit" });
  return JSON.parse(await new Response(p.stdout).text());
}

async function tailBench(o: BenchOptions): Promise<string[][]> {
  const seconds = o.quick ? 2 : 10;
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-tail-"));
  try {
    const file = join(dir, "app.log");
    writeFileSync(file, "");
    const r = await rig(dir, { type: "tail", listen: [`file://${file}`], options: { start: "beginning" } });
    const w = await writer(file, seconds);
    const writerEnd = performance.now();
    const ok = await r.wait(w.lines, 60_000);
    const catchUp = (performance.now() - writerEnd) / 1000;
    const cpu = r.cpu();
    await r.close();
    const cores = cpu.seconds / cpu.wall;
    const lagOk = ok && r.maxLag <= 1 && catchUp <= 1;
    // Reference: tail -F on the same load, counted by wc -l; its CPU from /proc before it is stopped.
    const ref = join(dir, "ref.log");
    writeFileSync(ref, "");
    const tailStart = performance.now();
    const tail = Bun.spawn(["tail", "-F", "-n", "+1", ref], { stdout: "pipe", stderr: "ignore" });
    const wc = Bun.spawn(["wc", "-l"], { stdin: tail.stdout, stdout: "pipe" });
    const wr = await writer(ref, seconds);
    await Bun.sleep(500);
    const tailCores = procCpuSeconds(tail.pid) / ((performance.now() - tailStart) / 1000);
    tail.kill();
    const counted = Number((await new Response(wc.stdout).text()).trim());
    const direct = await storeRate(dir, w.lines);
    return [
      [`tail receiver -> durable store (${RATE / 1000}k lines/s for ${seconds}s)`, fmt(w.lines, 0), `${fmt(r.maxLag, 2)} s`, `${fmt(catchUp, 2)} s`, fmt(cores, 2), lagOk && cores <= 1 ? "PASS lag<=1s, <=1 core" : "MISS"],
      [`reference: tail -F | wc -l (same load)`, `${fmt(counted, 0)} of ${fmt(wr.lines, 0)}`, "-", "-", fmt(tailCores, 2), "-"],
      [`reference: the same lines appended straight to a store`, fmt(w.lines, 0), `${fmt(direct / 1000, 0)}k lines/s`, "-", "-", direct >= RATE ? "store keeps up" : "store < 200k/s here"],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dockerBench(o: BenchOptions): Promise<string[][]> {
  const n = o.quick ? 50_000 : 500_000;
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-docker-"));
  try {
    let engine;
    try {
      engine = await startDockerEngine(dir);
    } catch (err) {
      return [[`docker API: engine could not start here (${(err as Error).message})`, "-", "-", "-", "-", "not run"]];
    }
    try {
      const id = (await engine.docker("run", "-d", "--network", "none", BUSYBOX_IMAGE, "seq", "1", String(n))).trim();
      await engine.docker("wait", id);
      const curl = measure(["bash", "-c", `curl -s --unix-socket ${engine.socket} "http://docker/containers/${id}/logs?stdout=1&stderr=1&timestamps=1" | wc -l`]);
      const r = await rig(dir, { type: "docker", listen: [`unix://${engine.socket}`], options: { start: "beginning" } });
      const t = performance.now();
      const ok = await r.wait(n, 120_000);
      const secs = (performance.now() - t) / 1000;
      await r.close();
      const rate = n / secs;
      return [
        [`docker API /logs -> durable store (${fmt(n, 0)} lines, one container)`, fmt(n, 0), `${fmt(rate / 1000, 0)}k lines/s`, fmt(secs, 2) + " s", "-", ok && rate >= 50_000 ? "PASS >=50k/s" : "MISS"],
        [`reference: curl the same /logs | wc -l`, curl.stdout.trim(), `${fmt(n / curl.wallSeconds / 1000, 0)}k lines/s`, fmt(curl.wallSeconds, 2) + " s", "-", "-"],
      ];
    } finally {
      await engine.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLocalReceiverBench(o: BenchOptions): Promise<void> {
  printTable(["path", "lines", "max lag / rate", "catch-up / time", "cores", "target"], [...(await tailBench(o)), ...(await dockerBench(o))]);
}
