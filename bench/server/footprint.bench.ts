/**
 * Edge-box footprint of the compiled server (docs/deployment.md, "Sizing an edge box"): the RSS
 * of `gastrolog serve` when ready and idle, its peak while N syslog messages (octet-counted TCP
 * from bench/receivers/sender.ts, ~150 bytes each) go through a receiver into the default file
 * store (32 MiB rotation, worker seals, indexes), the durable rate, CPU per message and the disk
 * used per raw byte. Reference from the same run: `gastrolog version` (the Bun runtime and the
 * binary mapped, nothing else) for memory.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { StoreService } from "../../src/api/gen/gastrolog/v1/store_pb.ts";
import { socketTransport } from "../../src/api/transports.ts";
import { fmt, printTable } from "../corpus.ts";
import { cpuSeconds, ensureBinary, measureOk } from "../proc.ts";
import type { BenchOptions } from "../run.ts";

const SENDER = join(import.meta.dir, "../receivers/sender.ts");

/** VmRSS / VmHWM (peak) of a live process, in bytes. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { now: kb("VmRSS"), peak: kb("VmHWM") };
}

async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

export async function runFootprintBench(o: BenchOptions): Promise<void> {
  const bin = ensureBinary();
  const n = o.quick ? 20_000 : 2_000_000;
  const ref = measureOk([bin, "version"]);
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-footprint-"));
  try {
    const port = await freePort();
    const sock = join(dir, "s.sock");
    const p = Bun.spawn([bin, "serve", "--data", join(dir, "data"), "--socket", sock, "--listen", "127.0.0.1:0", "--log-format", "json", "--receiver", `syslog=tcp://127.0.0.1:${port}`], { stdout: "ignore", stderr: "pipe" });
    const dec = new TextDecoder();
    let log = "";
    for await (const chunk of p.stderr) {
      log += dec.decode(chunk, { stream: true });
      if (log.includes('"msg":"ready"')) break;
    }
    const idle = rss(p.pid);
    const stats = createClient(StoreService, socketTransport(sock));
    const t0 = performance.now();
    const cpu0 = cpuSeconds(p.pid);
    const sender = Bun.spawn([process.execPath, SENDER, "tcp-octet", String(port), String(n)], { stdout: "pipe", stderr: "inherit" });
    await sender.exited;
    let s = await stats.getStats({});
    while (Number(s.records) < n && performance.now() - t0 < 600_000) {
      await Bun.sleep(100);
      s = await stats.getStats({});
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(p.pid) - cpu0;
    const busy = rss(p.pid);
    p.kill("SIGTERM");
    await p.exited;
    const du = Number(Bun.spawnSync(["du", "-sb", join(dir, "data")]).stdout.toString().split("\t")[0]);
    const raw = Number(s.rawBytes);
    const mb = (b: number) => fmt(b / 2 ** 20, 0) + " MiB";
    printTable(
      ["footprint", "value", "reference / ratio"],
      [
        ["RSS, ready and idle", mb(idle.now), `gastrolog version peak ${mb(ref.maxRssBytes)} (x${fmt(idle.now / ref.maxRssBytes, 2)})`],
        [`peak RSS ingesting ${n.toLocaleString("en")} msgs`, mb(busy.peak), `x${fmt(busy.peak / ref.maxRssBytes, 2)} of the reference`],
        ["durable rate (syslog TCP)", `${fmt(n / seconds / 1000, 0)}k msg/s`, `${fmt(raw / seconds / 2 ** 20, 1)} MiB/s raw`],
        ["server CPU per 1M msgs", `${fmt((cpu / n) * 1e6, 1)} s`, `${fmt(cpu / seconds, 2)} cores busy`],
        ["disk per raw byte", fmt(du / raw, 3), `${mb(du)} on disk for ${mb(raw)} raw (${s.sealedChunks} sealed chunks, index ${mb(Number(s.indexBytes))})`],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
