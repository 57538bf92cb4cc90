/**
 * Receiver framework: listen URLs, the --receiver flag, registry validation, and supervision
 * (a bind failure is reported, retried with backoff, and recovers once the port is free).
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { IngestPipeline } from "../pipeline/pipeline.ts";
import { parseReceiverFlag } from "./flag.ts";
import { parseListenUrl } from "./listen-url.ts";
import type { ReceiverConfig, ReceiverEvent } from "./receiver.ts";
import { createReceiver } from "./registry.ts";
import { thrownMessage } from "../../../test/support/outcome.ts";

const pipeline = new IngestPipeline({ append: async () => {} });

describe("listen URLs and flags", () => {
  test("parseListenUrl", () => {
    expect(["udp://127.0.0.1:5514", "tls://[::1]:6514", "http://0.0.0.0:3100", "tcp://localhost:0", "grpcs://127.0.0.1:4317"].map(parseListenUrl)).toEqual([
      { transport: "udp", tls: false, hostname: "127.0.0.1", port: 5514 },
      { transport: "tcp", tls: true, hostname: "::1", port: 6514 },
      { transport: "http", tls: false, hostname: "0.0.0.0", port: 3100 },
      { transport: "tcp", tls: false, hostname: "localhost", port: 0 },
      { transport: "grpc", tls: true, hostname: "127.0.0.1", port: 4317 },
    ]);
    const bad = ["5514", "ftp://h:1", "udp://h", "udp://h:1/x", "udp://:1"].map((u) => thrownMessage(() => parseListenUrl(u)));
    expect(bad).toEqual([
      'listen address "5514" is not a URL like udp://127.0.0.1:5514',
      'listen address "ftp://h:1": scheme must be udp, tcp, tls, http, https, grpc or grpcs',
      'listen address "udp://h" needs an explicit port',
      'listen address "udp://h:1/x" must be scheme://host:port only',
      'listen address "udp://:1" is not a URL like udp://127.0.0.1:5514',
    ]);
  });

  test("parseReceiverFlag", () => {
    expect([parseReceiverFlag("syslog=udp://127.0.0.1:5514"), parseReceiverFlag("gelf=udp://127.0.0.1:12201,tcp://127.0.0.1:12201")]).toEqual([
      { type: "syslog", id: "syslog-udp-5514", listen: ["udp://127.0.0.1:5514"] },
      { type: "gelf", id: "gelf-udp-12201", listen: ["udp://127.0.0.1:12201", "tcp://127.0.0.1:12201"] },
    ]);
    expect(() => parseReceiverFlag("udp://x:1")).toThrow('--receiver "udp://x:1": expected TYPE=URL');
    expect(() => parseReceiverFlag("syslog=")).toThrow("missing URL after '='");
  });

  test("createReceiver rejects bad configs with the reason", () => {
    const cases: [ReceiverConfig, string][] = [
      [{ type: "nope", id: "x", listen: [] }, 'receiver x: unknown type "nope"; known: syslog, relp, gelf, http, fluent, beats'],
      [{ type: "relp", id: "x", listen: ["udp://127.0.0.1:1"] }, "receiver x: relp listens on tcp:// or tls:// only"],
      [{ type: "http", id: "x", listen: ["https://127.0.0.1:1"] }, "receiver x: https:// needs tls.certFile and tls.keyFile"],
      [{ type: "syslog", id: "x", listen: ["udp://127.0.0.1:1"], options: { proxy: true } }, 'receiver x (syslog): unknown option "proxy"; known: proxyProtocol, maxFrameBytes, recvBufferBytes, datagramQueueBytes, tzOffsetMinutes'],
      [{ type: "gelf", id: "x", listen: ["udp://127.0.0.1:1"], options: { chunkTimeoutMs: "5s" } }, 'receiver x: option chunkTimeoutMs must be an integer in 1..9007199254740991, got "5s"'],
      [{ type: "syslog", id: "x", listen: [] }, "receiver x: needs at least one listen address"],
    ];
    for (const [c, msg] of cases) expect(() => createReceiver(c, { pipeline })).toThrow(msg);
  });
});

describe("supervision", () => {
  test("a bind failure is reported, retried with backoff, and recovers once the port is free", async () => {
    const blocker = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const events: ReceiverEvent[] = [];
    let started: () => void = () => {};
    const startedAgain = new Promise<void>((r) => (started = r));
    const r = createReceiver(
      { type: "syslog", id: "s", listen: [`tcp://127.0.0.1:${blocker.port}`] },
      {
        pipeline,
        onEvent: (e) => {
          events.push(e);
          if (e.kind === "restart") blocker.stop(true);
          if (e.kind === "started") started();
        },
      },
    );
    await r.start();
    const failed = r.stats();
    expect({ state: failed.state, errors: failed.errors, lastError: failed.lastError?.startsWith(`cannot listen on tcp://127.0.0.1:${blocker.port}: `) }).toEqual({
      state: "failed",
      errors: 1,
      lastError: true,
    });
    await startedAgain;
    const s = r.stats();
    expect({ state: s.state, restarts: s.restarts, listening: s.listening }).toEqual({ state: "running", restarts: 1, listening: [`tcp://127.0.0.1:${blocker.port}`] });
    expect(events.map((e) => [e.kind, e.level])).toEqual([
      ["bind", "error"],
      ["restart", "info"],
      ["started", "info"],
    ]);
    await r.stop();
    expect([r.stats().state, r.stats().listening]).toEqual(["stopped", []]);
  });

  test("a UDP receive buffer capped by the kernel is reported with the sysctl that raises it; one granted in full is not", async () => {
    const rmemMax = Number(readFileSync("/proc/sys/net/core/rmem_max", "utf8"));
    const warnings = async (type: string, recvBufferBytes: number): Promise<string[]> => {
      const events: ReceiverEvent[] = [];
      const r = createReceiver({ type, id: "u", listen: ["udp://127.0.0.1:0"], options: { recvBufferBytes } }, { pipeline, onEvent: (e) => events.push(e) });
      await r.start();
      await r.stop();
      return events.filter((e) => e.level === "warn").map((e) => `${e.kind}: ${e.message.replace(/127\.0\.0\.1:\d+/, "ADDR")}`);
    };
    const huge = rmemMax * 4;
    const capped = `bind: UDP receive buffer of udp://ADDR: asked ${huge} bytes, the kernel granted ${rmemMax * 2} (net.core.rmem_max is ${rmemMax}); bursts beyond it are dropped before they reach the receiver. Raise the cap: sysctl -w net.core.rmem_max=${huge} (docs/receivers.md, "UDP socket buffer")`;
    expect(await warnings("syslog", huge)).toEqual([capped]);
    expect(await warnings("gelf", huge)).toEqual([capped]);
    expect(await warnings("syslog", Math.min(rmemMax, 65536))).toEqual([]);
  });
});
