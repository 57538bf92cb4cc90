/**
 * Fluent Forward and Beats through the compiled server: `serve --receiver fluent=tcp://...`
 * and `--receiver beats=tcp://...` fed by fluent-logger (requireAckResponse) and
 * lumberjack-client plus a hand-built Lumberjack window whose ack is read off the socket; the
 * records come back through the query API with their attrs; then the server is killed with
 * SIGKILL and restarted on the same data: everything that was acknowledged is still there.
 */

import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { join } from "node:path";
import { LifecycleService } from "../src/api/gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "../src/api/gen/gastrolog/v1/query_pb.ts";
import { socketTransport } from "../src/api/transports.ts";
import { serverDir, startServe, type ServeProc } from "./support/server.ts";
import { run } from "./receivers/support.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();
const fluentSender = join(import.meta.dir, "receivers/clients/fluent-send.cjs");
const beatsSender = join(import.meta.dir, "receivers/clients/beats-send.cjs");

function api(s: ServeProc) {
  const t = socketTransport(s.socket);
  return { life: createClient(LifecycleService, t), query: createClient(QueryService, t) };
}

async function port(s: ServeProc, id: string): Promise<number> {
  const r = (await api(s).life.status({})).receivers.find((x) => x.name === id);
  const url = r?.listening.find((u) => u.startsWith("tcp://"));
  if (!url) throw new Error(`receiver ${id} is not listening`);
  return Number(url.slice(url.lastIndexOf(":") + 1));
}

async function records(s: ServeProc): Promise<{ raw: string; attrs: Record<string, string> }[]> {
  const out: { raw: string; attrs: Record<string, string> }[] = [];
  for await (const m of api(s).query.search({ query: { text: "limit=100000" } })) for (const h of m.hits) out.push({ raw: dec.decode(h.record!.raw), attrs: { ...h.record!.attrs } });
  return out;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Sends one Lumberjack window of `n` JSON events and resolves with the ack bytes (hex). */
async function beatsWindow(p: number, n: number): Promise<string> {
  const frames = [enc.encode("2W"), u32(n)];
  for (let i = 1; i <= n; i++) {
    const body = enc.encode(JSON.stringify({ message: `window event ${i}`, agent: { type: "hand-built" } }));
    frames.push(enc.encode("2J"), u32(i), u32(body.length), body);
  }
  let got = Buffer.alloc(0);
  let done: () => void = () => {};
  const acked = new Promise<void>((r) => (done = r));
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port: p,
    socket: {
      data(_s, d) {
        got = Buffer.concat([got, d]);
        if (got.length >= 6 && got.readUInt32BE(got.length - 4) === n) done();
      },
    },
  });
  sock.write(Buffer.concat(frames));
  await acked;
  sock.end();
  return got.subarray(got.length - 6).toString("hex");
}

test("fluent-logger and Beats clients through the binary; acknowledged records survive kill -9", async () => {
  const { dir, cleanup } = serverDir();
  try {
    const srv = await startServe(dir, ["--receiver", "fluent=tcp://127.0.0.1:0", "--receiver", "beats=tcp://127.0.0.1:0"]);
    const fluentPort = String(await port(srv, "fluent-tcp-0"));
    const beatsPort = await port(srv, "beats-tcp-0");
    const sent = await run([process.execPath, fluentSender, "PackedForward", fluentPort, "40", "ack", "evt"]);
    await run([process.execPath, beatsSender, String(beatsPort), "30"]);
    const ack = await beatsWindow(beatsPort, 25);
    const status = (await api(srv).life.status({})).receivers.filter((r) => r.name !== "");
    const byName = Object.fromEntries(status.map((r) => [r.name, { acked: Number(r.acked), dropped: r.dropped }]));
    srv.proc.kill("SIGKILL");
    await srv.exited;
    const again = await startServe(dir);
    const rs = await records(again);
    again.proc.kill("SIGTERM");
    expect(await again.exited).toBe(0);
    const fluent = rs.filter((r) => r.attrs.receiver === "fluent-tcp-0");
    const beats = rs.filter((r) => r.attrs.receiver === "beats-tcp-0");
    expect({
      sent: sent.trim(),
      ack,
      fluentAcked: byName["fluent-tcp-0"]!.acked,
      beatsWindowAcked: byName["beats-tcp-0"]!.acked >= 25,
      fluentAfterCrash: fluent.length,
      fluentFirst: fluent[0],
      beatsAfterCrash: beats.filter((r) => r.attrs["agent.type"] === "hand-built").map((r) => r.raw),
      lumberjackClient: beats.filter((r) => r.raw.startsWith("beat event")).length,
    }).toEqual({
      sent: "sent 40",
      ack: "324100000019",
      fluentAcked: 40,
      beatsWindowAcked: true,
      fluentAfterCrash: 40,
      fluentFirst: { raw: "event 0", attrs: { receiver: "fluent-tcp-0", remote_ip: "127.0.0.1", tag: "app.access", i: "0", nested: '{"a":[1,0]}' } },
      beatsAfterCrash: Array.from({ length: 25 }, (_, i) => `window event ${i + 1}`),
      lumberjackClient: 30,
    });
  } finally {
    cleanup();
  }
});
