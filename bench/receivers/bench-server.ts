/**
 * The compiled server as the receiver benches run it: `dist/gastrolog serve` on a temp data dir
 * with the given receiver flags and no HTTP listener, ready once it logs "ready"; its receivers'
 * stored counts read over the Unix socket, its CPU time and RSS from /proc, and load clients run as
 * child processes that print {"sent":N,"seconds":S}.
 */

import { createClient } from "@connectrpc/connect";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifecycleService } from "../../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { StoreService } from "../../src/api/gen/gastrolog/v1/store_pb.ts";
import { socketTransport } from "../../src/api/transports.ts";
import { cpuSeconds, peakRssBytes, rssBytes } from "../proc.ts";

export interface BenchServer {
  /** Records the stores made durable for the first receiver whose id starts with `prefix`. */
  stored(prefix: string): Promise<number>;
  /** user + system CPU seconds the server process used so far (Linux /proc). */
  cpuSeconds(): number;
  /**
   * Seals the default store's active chunk and returns once it (and every seal queued before
   * it) is done: after a warm-up, the measured rows start from an empty chunk as on a fresh server.
   */
  sealActive(): Promise<void>;
  /** The server's resident set size now, bytes (Linux /proc). */
  rssBytes(): number;
  /** The server's peak resident set size so far, bytes (VmHWM, Linux /proc). */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the server binds it right after). */
export function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = l.port;
  l.stop(true);
  return p;
}

/** Starts the server with `receiverFlags` (e.g. ["--receiver", "fluent=tcp://..."]). */
export async function startBenchServer(bin: string, receiverFlags: string[]): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "gastrolog-bench-rx-"));
  const socket = join(dir, "s.sock");
  const p = Bun.spawn([bin, "serve", "--data", join(dir, "data"), "--socket", socket, "--listen", "off", "--log-format", "json", ...receiverFlags], { stdout: "ignore", stderr: "pipe" });
  const dec = new TextDecoder();
  let buf = "";
  const lines = p.stderr[Symbol.asyncIterator]();
  while (!buf.includes('"msg":"ready"')) {
    const { done, value } = await lines.next();
    if (done) throw new Error(`server exited before ready: ${buf}`);
    buf += dec.decode(value, { stream: true });
  }
  // Keep reading its log so a chatty server never blocks on a full pipe.
  void (async () => {
    for (let r = await lines.next(); !r.done; r = await lines.next());
  })();
  const transport = socketTransport(socket);
  const life = createClient(LifecycleService, transport);
  const stores = createClient(StoreService, transport);
  return {
    cpuSeconds: () => cpuSeconds(p.pid),
    async sealActive() {
      await stores.sealActive({ store: "default" });
    },
    rssBytes: () => rssBytes(p.pid),
    peakRssBytes: () => peakRssBytes(p.pid),
    async stored(prefix) {
      const r = (await life.status({})).receivers.find((x) => x.name.startsWith(prefix));
      return Number(r?.stored ?? 0);
    },
    async stop() {
      p.kill("SIGTERM");
      await p.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a load client; resolves with its JSON report. */
export async function loadClient(cmd: string[]): Promise<{ sent: number; seconds: number }> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(p.stdout).text();
  if ((await p.exited) !== 0) throw new Error(`${cmd.join(" ")} failed`);
  return JSON.parse(out);
}
