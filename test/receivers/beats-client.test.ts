/**
 * Beats receiver against npm lumberjack-client (zlib-compressed windows of JSON events) over TCP
 * and TLS, and over a real socket with hand-built frames: cumulative acks as the client would
 * read them, and a connection that breaks the protocol is closed and counted while another
 * client on the same receiver goes on untouched.
 */

import { expect, test } from "bun:test";
import { join } from "node:path";
import { hasCommand, run, selfSigned, startHarness } from "./support.ts";

const sender = join(import.meta.dir, "clients/beats-send.cjs");
const dec = new TextDecoder();
const enc = new TextEncoder();

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}
const frames = (n: number) => Buffer.concat([enc.encode("2W"), u32(n), ...Array.from({ length: n }, (_, i) => {
  const body = enc.encode(JSON.stringify({ message: `raw ${i + 1}` }));
  return Buffer.concat([enc.encode("2J"), u32(i + 1), u32(body.length), body]);
})]);

/** Connects, writes `bytes`, collects what the server sends until `done(received)` or close. */
async function exchange(port: number, bytes: Uint8Array, done: (got: Uint8Array) => boolean): Promise<{ got: Uint8Array; closedByServer: boolean }> {
  const parts: Uint8Array[] = [];
  let closed = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => (finish = r));
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        parts.push(d.slice());
        if (done(Buffer.concat(parts))) finish();
      },
      close() {
        closed = true;
        finish();
      },
    },
  });
  sock.write(bytes);
  await finished;
  const closedByServer = closed;
  sock.end();
  return { got: Buffer.concat(parts), closedByServer };
}

for (const transport of ["tcp", "tls"] as const) {
  test.skipIf(transport === "tls" && !hasCommand("openssl"))(`lumberjack-client over ${transport}${transport === "tls" ? " (needs openssl)" : ""}`, async () => {
    await using probe = await startHarness({ type: "beats", listen: ["tcp://127.0.0.1:0"] });
    const tls = transport === "tls" ? await selfSigned(probe.temp.dir) : undefined;
    await using h = await startHarness({ type: "beats", listen: [`${transport}://127.0.0.1:0`], ...(tls ? { tls } : {}) });
    const n = 300;
    await run([process.execPath, sender, String(h.port(transport)), String(n), ...(transport === "tls" ? ["tls"] : [])]);
    await h.appender.waitFor(n);
    await h.pipeline.drain();
    const rs = h.records();
    const s = h.receiver.stats();
    expect({
      raws: rs.map((r) => dec.decode(r.raw)),
      first: { host: rs[0]!.attrs["host.name"], i: rs[0]!.attrs["fields.i"], ts: rs[0]!.sourceTs },
      stored: s.stored,
      dropped: s.dropped,
    }).toEqual({
      raws: Array.from({ length: n }, (_, i) => `beat event ${i}`),
      first: { host: "client-host", i: "0", ts: Date.UTC(2026, 0, 1) * 1000 },
      stored: n,
      dropped: {},
    });
    // The client never reads acks and closes right after writing, so acks are checked below over a socket.
  });
}

test("over a socket: one 2A per window once durable; a broken connection is closed and counted, a good one is not disturbed", async () => {
  await using h = await startHarness({ type: "beats", listen: ["tcp://127.0.0.1:0"] });
  const port = h.port("tcp");
  const ack = (seq: number) => Buffer.concat([enc.encode("2A"), u32(seq)]).toString("hex");
  const [good, bad] = await Promise.all([
    exchange(port, Buffer.concat([frames(3), frames(2)]), (got) => got.length >= 12),
    exchange(port, Buffer.concat([frames(1), enc.encode("GARBAGE")]), () => false),
  ]);
  const again = await exchange(port, frames(4), (got) => got.length >= 6);
  await h.pipeline.drain();
  const s = h.receiver.stats();
  expect({
    good: Buffer.from(good.got).toString("hex"),
    goodOpen: good.closedByServer,
    bad: bad.closedByServer,
    again: Buffer.from(again.got).toString("hex"),
    stored: s.stored,
    protocol: s.dropped.protocol,
    state: s.state,
    logged: h.events.some((e) => e.kind === "drop" && e.message.includes("bad version byte 0x47; closing it")),
  }).toEqual({ good: ack(3) + ack(2), goodOpen: false, bad: true, again: ack(4), stored: 3 + 2 + 1 + 4, protocol: 1, state: "running", logged: true });
});
