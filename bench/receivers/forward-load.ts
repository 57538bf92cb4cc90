/**
 * Load generators for the forward bench, run as separate processes (`bun forward-load.ts MODE
 * PORT COUNT [CONNECTIONS]`), printing {"sent":N,"seconds":S}:
 *   beats-windows      Filebeat-like: windows of 2048 JSON events, zlib level 3, two windows in
 *                      flight per connection (Filebeat's bulk_max_size and pipelining defaults),
 *                      CONNECTIONS connections (Filebeat `worker`); S runs to the last final ack
 *   fluent-chunks      fluent-bit-like: PackedForward chunks of 2048 events with option.chunk,
 *                      two in flight per connection; S runs to the last {"ack": chunk}
 *   lumberjack-client  npm lumberjack-client as it sends once connected (one zlib window per
 *                      event, acks never read); S runs until it wrote everything and closed
 * Payloads are encoded before the clock starts, so S measures the server, not the encoder.
 */

import { createRequire } from "node:module";
import { deflateSync } from "node:zlib";
import { packMsgpack, unpackAll } from "../../src/ingest/receivers/fluent/msgpack.ts";

const [mode, portArg, countArg, connArg] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(countArg);
const connections = Number(connArg ?? 1);
const UNIT = 2048;
const IN_FLIGHT = 2;
const enc = new TextEncoder();

function event(i: number): Record<string, unknown> {
  return { "@timestamp": "2026-01-15T10:00:00.000Z", message: `GET /api/v1/items/${i % 977} 200 1534 0.012`, host: { name: "web-01" }, log: { file: { path: "/var/log/nginx/access.log" }, offset: i * 80 }, agent: { type: "filebeat" } };
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function beatsWindow(from: number, n: number): Uint8Array {
  const frames: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    const body = enc.encode(JSON.stringify(event(from + k)));
    frames.push(enc.encode("2J"), u32(k + 1), u32(body.length), body);
  }
  const z = deflateSync(Buffer.concat(frames), { level: 3 });
  return Buffer.concat([enc.encode("2W"), u32(n), enc.encode("2C"), u32(z.length), z]);
}

function fluentChunk(from: number, n: number, id: string): Uint8Array {
  const entries: Uint8Array[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let k = 0; k < n; k++) entries.push(packMsgpack([now, { message: `GET /api/v1/items/${(from + k) % 977} 200 1534 0.012`, level: "info", host: "web-01", seq: from + k }]));
  return packMsgpack(["bench.access", Buffer.concat(entries), { chunk: id, size: n }]);
}

/**
 * Sends `units` over one connection, IN_FLIGHT at a time; `acked(buf)` consumes complete acks
 * from the front of the received bytes and returns how many units they finished (and the rest).
 */
async function pipelined(units: Uint8Array[], acked: (buf: Buffer) => [number, Buffer]): Promise<void> {
  let sent = 0;
  let done = 0;
  let got: Buffer = Buffer.alloc(0);
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => (finish = r));
  if (units.length === 0) return;
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(s, d) {
        const [n, rest] = acked(Buffer.concat([got, d]));
        got = rest;
        done += n;
        while (sent < units.length && sent - done < IN_FLIGHT) s.write(units[sent++]!);
        if (done === units.length) finish();
      },
    },
  });
  while (sent < Math.min(IN_FLIGHT, units.length)) sock.write(units[sent++]!);
  await finished;
  sock.end();
}

async function spread(build: (from: number, n: number, unit: number) => Uint8Array, acked: (sizes: number[]) => (buf: Buffer) => [number, Buffer]): Promise<void> {
  const perConn: { units: Uint8Array[]; sizes: number[] }[] = Array.from({ length: connections }, () => ({ units: [], sizes: [] }));
  for (let i = 0, u = 0; i < count; i += UNIT, u++) {
    const n = Math.min(UNIT, count - i);
    perConn[u % connections]!.units.push(build(i, n, u));
    perConn[u % connections]!.sizes.push(n);
  }
  const t0 = performance.now();
  await Promise.all(perConn.map((c) => pipelined(c.units, acked(c.sizes))));
  console.log(JSON.stringify({ sent: count, seconds: (performance.now() - t0) / 1000 }));
}

/** Beats: a window is done when a `2A` carries its full size (smaller acks are partial). */
const beatsAcks = (sizes: number[]) => {
  let next = 0;
  return (buf: Buffer): [number, Buffer] => {
    let n = 0;
    for (; buf.length >= 6; buf = buf.subarray(6)) if (buf.readUInt32BE(2) === sizes[next]) (next++, n++);
    return [n, buf];
  };
};

/** Fluent: every complete {"ack": id} finishes one chunk. */
const fluentAcks = () => (buf: Buffer): [number, Buffer] => {
  try {
    return [unpackAll(buf).length, Buffer.alloc(0)];
  } catch {
    return [0, buf];
  }
};

async function lumberjackClient(): Promise<void> {
  const Client = createRequire(import.meta.url)("lumberjack-client");
  const c = new Client({ host: "127.0.0.1", port });
  while (!c.connected) await Bun.sleep(1);
  c.socket.on("data", () => {});
  const t0 = performance.now();
  for (let i = 0; i < count; i++) c.log(event(i));
  await new Promise<void>((r) => {
    c.socket.on("close", r);
    c.socket.end();
  });
  console.log(JSON.stringify({ sent: count, seconds: (performance.now() - t0) / 1000 }));
}

if (mode === "beats-windows") await spread((from, n) => beatsWindow(from, n), beatsAcks);
else if (mode === "fluent-chunks") await spread((from, n, u) => fluentChunk(from, n, `c${u}`), fluentAcks);
else if (mode === "lumberjack-client") await lumberjackClient();
else throw new Error(`unknown mode ${mode}`);
process.exit(0);
