/**
 * TLS listeners (syslog over TLS per RFC 5425, RELP over TLS, HTTPS) with a self-signed
 * certificate made by openssl, and TCP backpressure: reads pause while the ingest queue is
 * full, so the queue stays bounded, and nothing is lost once appends resume.
 */

import { expect, test } from "bun:test";
import type { RecordInput } from "../../src/core/record.ts";
import { until } from "../../src/ingest/test-support.ts";
import { hasCommand, selfSigned, startHarness } from "./support.ts";

const dec = new TextDecoder();

/**
 * Opens a TLS connection, writes `data` once the handshake is done (Bun drops earlier writes),
 * and resolves with what the server answered once `until` holds or the server closes.
 */
async function tlsExchange(port: number, data: string, until: (got: string) => boolean): Promise<string> {
  let got = "";
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const s = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    tls: { rejectUnauthorized: false },
    socket: {
      handshake(sock) {
        sock.write(data);
        if (until(got)) sock.end();
      },
      data(sock, d) {
        got += dec.decode(d);
        if (until(got)) {
          sock.end();
          done();
        }
      },
      close: () => done(),
    },
  });
  await finished;
  s.end();
  return got;
}

test.skipIf(!hasCommand("openssl"))("syslog over TLS, RELP over TLS and HTTPS (needs openssl)", async () => {
  await using probe = await startHarness({ type: "syslog", listen: ["tcp://127.0.0.1:0"] });
  const tls = await selfSigned(probe.temp.dir);
  await using sys = await startHarness({ type: "syslog", listen: ["tls://127.0.0.1:0"], tls });
  await using relp = await startHarness({ type: "relp", listen: ["tls://127.0.0.1:0"], tls });
  await using http = await startHarness({ type: "http", listen: ["https://127.0.0.1:0"], tls });
  const m = "<13>1 2026-01-01T00:00:00Z h app - - - over tls";
  void tlsExchange(sys.port("tls"), `${m.length} ${m}${m.length} ${m}`, () => true);
  const relpReply = await tlsExchange(relp.port("tls"), `1 open 15 commands=syslog\n2 syslog ${m.length} ${m}\n3 close 0\n`, (g) => g.includes("serverclose"));
  const res = await fetch(`https://127.0.0.1:${http.port("https")}/ingest/text`, { method: "POST", body: "over https\n", headers: { "x-wait-ack": "true" }, tls: { rejectUnauthorized: false } });
  await sys.appender.waitFor(2);
  expect(relpReply.replace(/relp_software=[^\n]*/, "S").replace(/^1 rsp \d+/, "1 rsp N")).toBe("1 rsp N 200 OK\nrelp_version=0\nS\ncommands=syslog\n2 rsp 6 200 OK\n3 rsp 0\n0 serverclose 0\n");
  expect([res.status, await res.json()]).toEqual([200, { accepted: 1 }]);
  expect([sys.records().map((r) => dec.decode(r.raw)), relp.records().map((r) => dec.decode(r.raw)), http.records().map((r) => dec.decode(r.raw))]).toEqual([[m, m], [m], ["over https"]]);
});

test("TCP reads pause while the queue is full; every message arrives afterwards", async () => {
  const N = 20_000;
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  await using h = await startHarness({ type: "syslog", listen: ["tcp://127.0.0.1:0"] }, { maxQueuedRecords: 1000, maxBatchRecords: 500 });
  const inner = h.appender.append.bind(h.appender);
  h.appender.append = async (rs: RecordInput[]) => {
    await gate;
    return inner(rs);
  };
  const payload = Buffer.from(Array.from({ length: N }, (_, i) => `<13>msg ${i}\n`).join(""));
  let off = 0;
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port: h.port("tcp"),
    socket: {
      drain(s) {
        if (off < payload.length) off += s.write(payload.subarray(off));
      },
      data() {},
    },
  });
  off += sock.write(payload);
  await until(() => h.pipeline.full);
  let maxQueued = 0;
  for (let turn = 0; turn < 200; turn++) {
    await new Promise((r) => setImmediate(r));
    maxQueued = Math.max(maxQueued, h.pipeline.stats().queued);
  }
  const taken = h.receiver.stats().messages;
  release();
  await until(() => off >= payload.length, 100_000);
  sock.end();
  await h.appender.waitFor(N);
  await h.pipeline.drain();
  // Bun may still dispatch chunks it had already read when the socket paused (~64 KiB each,
  // ~5000 of these messages), so the bound is the queue limit plus two such chunks.
  expect({ bounded: maxQueued < 1000 + 10_000, paused: taken < N, stored: h.receiver.stats().stored, dropped: h.receiver.stats().dropped }).toEqual({ bounded: true, paused: true, stored: N, dropped: {} });
});
