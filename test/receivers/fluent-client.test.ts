/**
 * Fluent Forward receiver against npm fluent-logger, the real client, in every mode it has
 * (Message, PackedForward, CompressedPackedForward), with requireAckResponse (each emit's
 * callback fires only on our {"ack": chunk}) and without, EventTime and integer times, over
 * TCP and TLS, with the shared-key handshake (right and wrong key), plus the UDP heartbeat.
 */

import { describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import { join } from "node:path";
import { hasCommand, run, selfSigned, startHarness } from "./support.ts";

const sender = join(import.meta.dir, "clients/fluent-send.cjs");
const dec = new TextDecoder();
const MODES = ["Message", "PackedForward", "CompressedPackedForward"] as const;
const N = 60;

/** What fluent-send.cjs emits for event i, as stored. */
function expected(i: number, evt: boolean) {
  const attrs: Record<string, string> = { receiver: "r1", tag: "app.access" };
  let raw: string;
  if (i % 3 === 0) {
    raw = `event ${i}`;
    Object.assign(attrs, { i: String(i), nested: `{"a":[1,${i}]}` });
  } else if (i % 3 === 1) {
    raw = `event ${i}`;
    attrs.level = "info";
  } else {
    raw = `{"other":"event ${i}","ok":true}`;
    Object.assign(attrs, { other: `event ${i}`, ok: "true" });
  }
  return { raw, attrs, ts: evt ? (1795726040 + i) * 1_000_000 + 123456 : "recent" };
}

function stored(h: Awaited<ReturnType<typeof startHarness>>) {
  const now = Date.now() * 1000;
  return h.records().map((r) => {
    const { remote_ip: _ip, ...attrs } = r.attrs;
    return { raw: dec.decode(r.raw), attrs, ts: r.sourceTs > now - 600_000_000 && r.sourceTs <= now + 1_000_000 ? "recent" : r.sourceTs };
  });
}

describe("fluent-logger", () => {
  for (const mode of MODES) {
    for (const [ack, evt] of [[true, true], [false, false]] as const) {
      test(`${mode}, ${ack ? "requireAckResponse" : "no ack"}, ${evt ? "EventTime" : "integer time"}`, async () => {
        await using h = await startHarness({ type: "fluent", listen: ["tcp://127.0.0.1:0"] });
        const out = await run([process.execPath, sender, mode, String(h.port("tcp")), String(N), ...(ack ? ["ack"] : []), ...(evt ? ["evt"] : [])]);
        await h.appender.waitFor(N);
        await h.pipeline.drain();
        const s = h.receiver.stats();
        // Without requireAckResponse the client does not wait for acks (fluent-logger still sends
        // option.chunk in PackedForward), so how many it got before closing is up to timing.
        expect({ out: out.trim(), records: stored(h), acked: ack ? s.acked : "not awaited", dropped: s.dropped }).toEqual({
          out: `sent ${N}`,
          records: Array.from({ length: N }, (_, i) => expected(i, evt)),
          acked: ack ? N : "not awaited",
          dropped: {},
        });
      });
    }
  }

  test("shared key: the handshake admits the right key and refuses a wrong one", async () => {
    await using h = await startHarness({ type: "fluent", listen: ["tcp://127.0.0.1:0"], options: { sharedKey: "k3y", selfHostname: "gastrolog" } });
    const port = String(h.port("tcp"));
    const good = await run([process.execPath, sender, "PackedForward", port, "5", "ack", "key=k3y"]);
    await h.appender.waitFor(5);
    const bad = await run([process.execPath, sender, "Message", port, "1", "ack", "key=wrong"]).catch((e: Error) => e.message);
    // fluent-logger's own log lines on stdout show the handshake: HELO checked, PONG checked, established.
    expect({ good: good.trim().split("\n"), bad: /exited 1: .*Authentication failed: shared key mismatch/s.test(bad), stored: h.records().length, protocol: h.receiver.stats().dropped.protocol }).toEqual({
      good: ["Checking HELO...", "Checking PONG...", "Established", "sent 5"],
      bad: true,
      stored: 5,
      protocol: 1,
    });
  });

  test.skipIf(!hasCommand("openssl"))("over TLS (needs openssl)", async () => {
    await using probe = await startHarness({ type: "fluent", listen: ["tcp://127.0.0.1:0"], options: { heartbeat: false } });
    const tls = await selfSigned(probe.temp.dir);
    await using h = await startHarness({ type: "fluent", listen: ["tls://127.0.0.1:0"], tls });
    const out = await run([process.execPath, sender, "CompressedPackedForward", String(h.port("tls")), "10", "ack", "evt", "tls"]);
    await h.appender.waitFor(10);
    expect({ out: out.trim(), raws: stored(h).map((r) => r.raw).slice(0, 2), acked: h.receiver.stats().acked }).toEqual({ out: "sent 10", raws: ["event 0", "event 1"], acked: 10 });
  });
});

test("UDP heartbeat on the TCP port is answered with one NUL byte", async () => {
  await using h = await startHarness({ type: "fluent", listen: ["tcp://127.0.0.1:0"] });
  const sock = dgram.createSocket("udp4");
  const reply = new Promise<Buffer>((resolve) => sock.once("message", resolve));
  sock.send(Buffer.alloc(0), h.port("udp"), "127.0.0.1");
  const got = await reply;
  sock.close();
  expect([h.port("udp") === h.port("tcp"), [...got]]).toEqual([true, [0]]);
});
