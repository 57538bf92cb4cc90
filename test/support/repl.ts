/**
 * REPL test support: a deterministic engine (fixed clock, fixed records, indexed memory
 * stores) behind the in-process transport, the server's engine over a memory config store
 * (config and retention), and a session whose output is captured as one transcript with
 * chunk IDs replaced by <chunk-N> so golden files stay stable.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Transport } from "@connectrpc/connect";
import type { HostStore, ReceiverView } from "../../src/api/host.ts";
import { LocalHost } from "../../src/api/local-host.ts";
import { createInProcessTransport } from "../../src/api/in-process-transport.ts";
import type { RecordInput } from "../../src/core/record.ts";
import { sectionBuilders } from "../../src/app/section-builders.ts";
import { openEngine } from "../../src/app/server/engine.ts";
import { MemoryConfigStore } from "../../src/config/memory-store.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { searchSource } from "../../src/app/search-source.ts";
import { replClient } from "../../src/repl/client.ts";
import { runLine } from "../../src/repl/dispatch.ts";
import { PLAIN } from "../../src/repl/render/style.ts";
import { Session } from "../../src/repl/session.ts";
import { createMemoryStore } from "../../src/storage/memory/memory-store.ts";

/** 2025-03-01T10:00:00Z in µs: every fixture time is an offset from here. */
export const T0 = 1_740_823_200_000_000;
const enc = new TextEncoder();

/** The fixture log: a few formats, levels and attributes; 15 records -> chunks of 6, 6, 3. */
export const FIXTURE: readonly [string, Record<string, string>][] = [
  ["2025-03-01T10:00:00Z INFO api started port=8080", { host: "web-1", level: "info" }],
  ["2025-03-01T10:00:05Z ERROR db connection refused host=db-1", { host: "web-1", level: "error" }],
  ["2025-03-01T10:00:10Z WARN slow request path=/orders ms=950", { host: "web-2", level: "warn" }],
  ["2025-03-01T10:00:15Z INFO user login user=alice", { host: "web-2", level: "info" }],
  ["2025-03-01T10:00:20Z DEBUG cache miss key=orders:42", { host: "web-1", level: "debug" }],
  ["2025-03-01T10:00:25Z ERROR payment failed user=bob code=402", { host: "web-3", level: "error" }],
  ["2025-03-01T10:00:30Z INFO order placed id=1001", { host: "web-3", level: "info" }],
  ["2025-03-01T10:00:35Z INFO user logout user=alice", { host: "web-2", level: "info" }],
  ["2025-03-01T10:00:40Z ERROR disk full on /var", { host: "web-1", level: "error" }],
  ["2025-03-01T10:00:45Z INFO request done path=/health status=200", { host: "web-1", level: "info" }],
  ["2025-03-01T10:00:50Z WARN retrying db connection", { host: "web-2", level: "warn" }],
  ["2025-03-01T10:00:55Z INFO cache warmed entries=512", { host: "web-3", level: "info" }],
  ["2025-03-01T10:01:00Z ERROR timeout calling billing", { host: "web-3", level: "error" }],
  ["2025-03-01T10:01:05Z INFO order placed id=1002", { host: "web-1", level: "info" }],
  ["2025-03-01T10:01:10Z INFO shutdown requested", { host: "web-2", level: "info" }],
];

/** Receivers the fixture host reports: a network receiver with every counter, a demo one. */
export const FIXTURE_RECEIVERS: readonly ReceiverView[] = [
  {
    name: "syslog-udp-5514",
    type: "syslog",
    params: { listen: "udp://127.0.0.1:5514" },
    state: "running",
    records: 4210,
    errors: 2,
    origin: "flag",
    net: {
      bytes: 512_000,
      parseErrors: 3,
      dropped: { queue_full: 7, oversize: 1 },
      droppedBytes: 2048,
      stored: 4200,
      tlsRejected: 0,
      acked: 0,
      duplicates: 0,
      queueWaitMicros: 4_200_000,
      listening: ["udp://127.0.0.1:5514"],
      restarts: 1,
      connections: 0,
      heldDatagrams: 0,
      heldDatagramBytes: 0,
      lastError: "cannot listen on udp://127.0.0.1:5514: EADDRINUSE",
      lastErrorAt: T0,
    },
  },
  { name: "demo", type: "chatterbox", params: {}, state: "running", records: 15, errors: 0, origin: "config" },
];

/** A record of the fixture at `i` seconds*5 after T0. */
export function fixtureRecord(i: number, raw: string, attrs: Record<string, string>): RecordInput {
  return { raw: enc.encode(raw), attrs, sourceTs: T0 + i * 5_000_000, ingestTs: T0 + i * 5_000_000 + 1000 };
}

export interface ReplFixture {
  host: LocalHost;
  transport: Transport;
}

/** Stores "default" (the fixture, 6 records per chunk, indexed) and "audit" (2 records, active). */
export async function replFixture(): Promise<ReplFixture> {
  const clock = () => T0 + 3_600_000_000;
  const mk = (name: string, maxRecords: number): HostStore => {
    const store = createMemoryStore(name, { rotation: { maxRecords }, sectionBuilders, clock });
    return { name, source: searchSource(name, store), settings: { kind: "memory", dir: "", rotation: { maxBytes: 0, maxRecords, maxAgeMicros: 0 }, durability: { kind: "never" }, route: "" } };
  };
  const stores = [mk("default", 6), mk("audit", 100)];
  await stores[0]!.source.store.append(FIXTURE.map(([raw, attrs], i) => fixtureRecord(i, raw, attrs)));
  await stores[1]!.source.store.append([fixtureRecord(0, "audit: config changed by admin", { actor: "admin" }), fixtureRecord(1, "audit: token revoked", { actor: "ops" })]);
  const host = new LocalHost({ stores, version: { version: "0.0.0-test", commit: "test", runtime: "bun" }, receivers: () => FIXTURE_RECEIVERS, ingestQueue: () => ({ queued: 3, queuedBytes: 300, appending: 0, batches: 12, appended: 4200, appendErrors: 1 }) });
  host.markReady();
  return { host, transport: createInProcessTransport(host) };
}

/** A session writing into one transcript (stdout and stderr interleaved, in order). */
export class Transcript {
  text = "";
  private waiters: { needle: string; resolve: () => void }[] = [];
  readonly session: Session;

  constructor(transport: Transport) {
    const write = (t: string) => {
      this.text += t;
      for (const w of this.waiters.filter((x) => this.text.includes(x.needle))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    this.session = new Session(replClient(transport), { out: write, err: write }, PLAIN, false);
  }

  /** Runs lines like a script, echoing each as `> line`; returns which succeeded. */
  async run(lines: readonly string[]): Promise<boolean[]> {
    const ok: boolean[] = [];
    for (const line of lines) {
      this.text += `> ${line}\n`;
      ok.push(await runLine(this.session, line, new AbortController().signal));
    }
    return ok;
  }

  /** Resolves once the transcript contains `needle`. */
  waitFor(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ needle, resolve }));
  }
}

/** Replaces chunk IDs (UUIDv7) by <chunk-N> in order of first appearance. */
export function stableIds(text: string): string {
  const ids = new Map<string, string>();
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (id) => {
    if (!ids.has(id)) ids.set(id, `<chunk-${ids.size + 1}>`);
    return ids.get(id)!;
  });
}

export interface ConfigFixture {
  transport: Transport;
  /** Chunk IDs of store "default", oldest first. */
  chunks(): string[];
  close(): Promise<void>;
}

/**
 * The server's engine (openEngine) over a MemoryConfigStore with a fixed clock: version 1 makes
 * "default" (6 records per chunk, holding the fixture) and "audit" memory stores. Config
 * writes go through the real reconciler, retention sweeps through the real runner.
 */
export async function configFixture(): Promise<ConfigFixture> {
  const dir = mkdtempSync(join(tmpdir(), "repl-config-"));
  let tick = 0;
  const config = new MemoryConfigStore({ clock: () => T0 + 60_000_000 * ++tick });
  const store = (name: string, maxRecords: number, route: string) => ({ name, type: "memory", route, rotation: { maxRecords } });
  config.apply({ stores: [store("default", 6, "*"), store("audit", 100, "")] }, { author: "test", reason: "fixture" });
  const engine = await openEngine({ dataDir: dir, config, logger: createLogger({ level: "error", format: "text", write: () => {} }), retentionIntervalMs: 3_600_000 });
  engine.start();
  await engine.host.store("default")!.source.store.append(FIXTURE.map(([raw, attrs], i) => fixtureRecord(i, raw, attrs)));
  return {
    transport: createInProcessTransport(engine.host),
    chunks: () => engine.host.store("default")!.source.store.chunks().map((c) => c.id),
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
