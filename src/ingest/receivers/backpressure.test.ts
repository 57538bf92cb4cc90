/**
 * TCP backpressure end to end: syslog TCP/TLS and RELP connections on 127.0.0.1 pause while the
 * shared ingest pipeline is full and must always resume once it has room. A store that stalls
 * and frees space at random points, several senders, every message checked; a connection that
 * closes while paused; appends or batch observers that throw synchronously must not leave
 * paused sockets paused forever.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordInput } from "../../core/record.ts";
import { makeCerts, type CertSet } from "../../../test/support/certs.ts";
import { RelpClient } from "../../../test/support/relp-client.ts";
import { until } from "../../../test/support/until.ts";
import type { Appender } from "../pipeline/appender.ts";
import { IngestPipeline, type PipelineOptions } from "../pipeline/pipeline.ts";
import type { Receiver } from "./receiver.ts";
import { createReceiver } from "./registry.ts";

const dec = new TextDecoder();

/** A pipeline that counts how often a paused connection waited for space. */
class CountingPipeline extends IngestPipeline {
  spaceWaits = 0;
  override whenSpace(): Promise<void> {
    if (this.full) this.spaceWaits++;
    return super.whenSpace();
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sends `lines` LF-framed over one TCP connection, honouring the socket's backpressure, in
 * bursts of `burst` lines; before the next burst it awaits `between(linesSentSoFar)`.
 */
async function send(port: number, tls: boolean, lines: string[], burst = lines.length, between: (sent: number) => Promise<unknown> = async () => {}): Promise<void> {
  const ends: number[] = [];
  let total = 0;
  for (const l of lines) ends.push((total += Buffer.byteLength(l) + 1));
  const payload = Buffer.from(lines.map((l) => `${l}\n`).join(""));
  let off = 0;
  let offered = 0;
  let wake: () => void = () => {};
  const write = (s: { write(b: Uint8Array): number }) => {
    if (off < offered) off += Math.max(0, s.write(payload.subarray(off, offered)));
    if (off >= offered) wake();
  };
  const sock = await Bun.connect({ hostname: "127.0.0.1", port, ...(tls ? { tls: { rejectUnauthorized: false } } : {}), socket: { drain: write, data() {} } });
  for (let i = burst; offered < payload.length; i += burst) {
    offered = ends[Math.min(i, lines.length) - 1]!;
    const written = new Promise<void>((r) => (wake = r));
    write(sock);
    await written;
    await between(Math.min(i, lines.length));
  }
  sock.end();
}

/** A syslog receiver on 127.0.0.1 port 0 over plain TCP, or TLS with the test certificates. */
async function syslogOn(pipeline: IngestPipeline, tls = false): Promise<{ receiver: Receiver; port: number }> {
  const config = tls
    ? { type: "syslog", id: "bp", listen: ["tls://127.0.0.1:0"], tls: { certFile: certs().server.cert, keyFile: certs().server.key } }
    : { type: "syslog", id: "bp", listen: ["tcp://127.0.0.1:0"] };
  const receiver = createReceiver(config, { pipeline });
  await receiver.start();
  const port = Number(new URL(receiver.stats().listening[0]!).port);
  return { receiver, port };
}

/** The message texts a stored batch holds (the part after the syslog header). */
function texts(rs: readonly RecordInput[]): string[] {
  return rs.map((r) => dec.decode(r.raw).split(" ").at(-1)!);
}

const SMALL_QUEUE: PipelineOptions = { maxQueuedRecords: 64, maxBatchRecords: 16 };

let certDir: string | undefined;
let certSet: CertSet | undefined;
function certs(): CertSet {
  certDir ??= mkdtempSync(join(tmpdir(), "gastrolog-backpressure-"));
  return (certSet ??= makeCerts(certDir));
}
afterAll(() => {
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe("TCP backpressure", () => {
  test.each([["tcp", false], ["tls", true]] as const)("%s: many pause/resume cycles against a store that stalls at random points lose nothing", async (_name, tls) => {
    const rnd = random(20261203);
    const stored: string[] = [];
    const SENDERS = 4;
    const storedBy = new Array<number>(SENDERS).fill(0);
    const appender: Appender = {
      async append(rs) {
        // Stall about a third of the appends for 0-3 ms (a seal, a slow fsync), others at once.
        if (rnd() < 0.35) await Bun.sleep(rnd() * 3);
        for (const t of texts(rs)) {
          stored.push(t);
          storedBy[Number(t.slice(1, t.indexOf("-")))]!++;
        }
      },
    };
    const pipeline = new CountingPipeline(appender, SMALL_QUEUE);
    const { receiver, port } = await syslogOn(pipeline, tls);
    try {
      const PER_SENDER = 5_000;
      const sent = Array.from({ length: SENDERS }, (_, s) => Array.from({ length: PER_SENDER }, (_, i) => `<13>Dec  3 08:00:00 host app[${1000 + s}]: payload ${"x".repeat(60)} s${s}-m${i}`));
      // Even senders write bursts of 100 lines, each once the previous one is stored: a burst
      // overflows the 64-record queue, so each pauses its connection. Odd senders write all at once.
      const storedUpTo = (s: number) => (n: number) => until(() => storedBy[s]! >= n, { what: `sender ${s}'s first ${n} messages stored` });
      await Promise.all(sent.map((lines, s) => (s % 2 === 0 ? send(port, tls, lines, 100, storedUpTo(s)) : send(port, tls, lines))));
      await until(() => stored.length >= SENDERS * PER_SENDER, { what: "every sent message stored", detail: () => `${stored.length} stored, pipeline ${JSON.stringify(pipeline.stats())}` });
      // Per connection, messages arrive in order and exactly once.
      const bySender = sent.map((_, s) => stored.filter((t) => t.startsWith(`s${s}-`)));
      expect(bySender).toEqual(sent.map((lines) => lines.map((l) => l.split(" ").at(-1)!)));
      expect({ storedTotal: stored.length, pausedOften: pipeline.spaceWaits >= 50 }).toEqual({ storedTotal: SENDERS * PER_SENDER, pausedOften: true });
    } finally {
      await receiver.stop();
    }
  });

  test("RELP: windows of 200 pipelined messages per session over a stalling store are all acknowledged and stored", async () => {
    const rnd = random(1203);
    const stored: string[] = [];
    const appender: Appender = {
      async append(rs) {
        if (rnd() < 0.35) await Bun.sleep(rnd() * 3);
        stored.push(...texts(rs));
      },
    };
    const pipeline = new CountingPipeline(appender, SMALL_QUEUE);
    const receiver = createReceiver({ type: "relp", id: "bp-relp", listen: ["tcp://127.0.0.1:0"] }, { pipeline });
    await receiver.start();
    const port = Number(new URL(receiver.stats().listening[0]!).port);
    const clients: RelpClient[] = [];
    try {
      const SESSIONS = 3;
      const WINDOWS = 10;
      const WINDOW = 200;
      const session = async (c: number) => {
        const client = await RelpClient.connect(port);
        clients.push(client);
        const answers: string[] = [];
        for (let w = 0; w < WINDOWS; w++) {
          const batch = Array.from({ length: WINDOW }, (_, i) => client.send(`<13>Dec  3 08:00:00 host app: c${c}-m${w * WINDOW + i}`));
          answers.push(...(await Promise.all(batch)));
        }
        return answers.filter((a) => a !== "200 OK");
      };
      const refused = await Promise.all(Array.from({ length: SESSIONS }, (_, c) => session(c)));
      const expected = (c: number) => Array.from({ length: WINDOWS * WINDOW }, (_, i) => `c${c}-m${i}`);
      const of = (c: number) => stored.filter((t) => t.startsWith(`c${c}-`));
      expect({ refused, stored: [0, 1, 2].map(of), paused: pipeline.spaceWaits > 0 }).toEqual({ refused: [[], [], []], stored: [0, 1, 2].map(expected), paused: true });
    } finally {
      for (const c of clients) c.close();
      await receiver.stop();
    }
  });

  test("a connection closed while paused, and a new one paused behind it, lose nothing once the store frees space", async () => {
    const stored: string[] = [];
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const appender: Appender = {
      async append(rs) {
        await gate;
        stored.push(...texts(rs));
      },
    };
    const pipeline = new CountingPipeline(appender, SMALL_QUEUE);
    const { receiver, port } = await syslogOn(pipeline);
    try {
      const lines = (who: string) => Array.from({ length: 300 }, (_, i) => `<13>Dec  3 08:00:00 host app: ${who}-m${i}`);
      // The store is stalled: the first sender fills the queue, is paused, and hangs up.
      await send(port, false, lines("a"));
      await until(() => pipeline.spaceWaits >= 1, { what: "the first connection paused" });
      // A second connection arrives while the store is still stalled and is paused in turn.
      await send(port, false, lines("b"));
      await until(() => pipeline.spaceWaits >= 2, { what: "the second connection paused", detail: () => JSON.stringify(pipeline.stats()) });
      expect(stored).toEqual([]);
      open();
      await until(() => stored.length >= 600, { what: "both connections' messages stored", detail: () => `${stored.length} stored, ${JSON.stringify(pipeline.stats())}` });
      const of = (who: string) => stored.filter((t) => t.startsWith(`${who}-`));
      expect({ a: of("a"), b: of("b"), total: stored.length }).toEqual({ a: lines("a").map((l) => l.split(" ").at(-1)!), b: lines("b").map((l) => l.split(" ").at(-1)!), total: 600 });
    } finally {
      await receiver.stop();
    }
  });

  test.each([
    ["an append that throws synchronously", "append"],
    ["a batch observer that throws", "observer"],
  ] as const)("%s does not leave paused connections paused", async (_name, where) => {
    const stored: string[] = [];
    let thrown = false;
    const throwOnce = (): void => {
      if (thrown) return;
      thrown = true;
      throw new Error("boom");
    };
    const appender: Appender = {
      // Deliberately not async: a plain function returning a promise may throw before it.
      append(rs) {
        if (where === "append" && stored.length > 0) throwOnce();
        stored.push(...texts(rs));
        return Promise.resolve();
      },
    };
    const onBatch = where === "observer" ? () => (stored.length > 0 ? throwOnce() : undefined) : undefined;
    const errors: string[] = [];
    const pipeline = new CountingPipeline(appender, { ...SMALL_QUEUE, onBatch, onError: (m) => errors.push(m) });
    const { receiver, port } = await syslogOn(pipeline);
    try {
      const lines = Array.from({ length: 3000 }, (_, i) => `<13>Dec  3 08:00:00 host app: m${i}`);
      await send(port, false, lines);
      const failed = () => receiver.stats().dropped["append_failed"] ?? 0;
      await until(() => stored.length + failed() >= lines.length, {
        what: "every message stored or counted as failed",
        detail: () => `${stored.length} stored, ${failed()} failed, pipeline ${JSON.stringify(pipeline.stats())}`,
      });
      expect({ thrown, accounted: stored.length + failed(), failedSome: failed() > 0, paused: pipeline.spaceWaits > 0, errors: errors.length }).toEqual({
        thrown: true,
        accounted: lines.length,
        failedSome: where === "append",
        paused: true,
        errors: 1,
      });
    } finally {
      await receiver.stop();
    }
  });
});
