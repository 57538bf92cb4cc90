/**
 * Fluent Forward sessions on a real file store: replayed client captures (fluent-logger in
 * every mode, Docker's fluentd driver) answered with the captured acks, hand-built Forward mode
 * and PackedForward frames no client here sends, time formats, rejected entries, protocol
 * errors that end the connection, and the shared-key handshake.
 */

import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { storeAppender } from "../../pipeline/appender.ts";
import { capture, sessionProbe, tempStore, text } from "../../test-support.ts";
import { sha512Hex } from "./handshake.ts";
import { encodeEventTime, packMsgpack, unpackAll } from "./msgpack.ts";
import { FluentSession } from "./session.ts";

/** A session on a temp store; `writes()` is what the server sent, decoded. */
async function session(opts: { sharedKey?: string; maxMessageBytes?: number; failAppends?: boolean } = {}) {
  const temp = await tempStore();
  const probe = sessionProbe();
  const pipeline = new IngestPipeline(opts.failAppends ? { append: () => Promise.reject(new Error("disk full")) } : storeAppender(temp.store));
  const s = new FluentSession({
    io: probe.io,
    pipeline,
    counters: probe.counters,
    base: { receiver: "f1", remote_ip: "127.0.0.1" },
    remote: "127.0.0.1",
    limits: { maxMessageBytes: opts.maxMessageBytes ?? 1 << 20, maxDecodedBytes: 1 << 20 },
    handshake: opts.sharedKey ? { sharedKey: opts.sharedKey, selfHostname: "gastrolog-test" } : undefined,
    clock: () => 7,
  });
  const settle = async () => {
    await pipeline.drain();
    await new Promise((r) => setImmediate(r));
  };
  const records = () => temp.records().map((r) => ({ raw: text(r), attrs: r.attrs, ts: r.sourceTs }));
  return { s, temp, counters: probe.counters, drops: probe.drops, writes: () => unpackAll(Buffer.concat(probe.writes)), ended: probe.ended, settle, records };
}

/** A MessagePack fixarray of already-encoded parts (for EventTime, which msgpackr cannot pack). */
function arr(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat([Uint8Array.of(0x90 | parts.length), ...parts]);
}
const p = packMsgpack;
const base = { receiver: "f1", remote_ip: "127.0.0.1" };

describe("client captures", () => {
  const cases: [string, number][] = [
    ["fluentlogger-message-ack", 2],
    ["fluentlogger-packedforward-ack", 2],
    ["fluentlogger-compressedpackedforward-ack-eventtime", 2],
    ["docker-fluentd-driver-ack", 2],
  ];
  for (const [name, n] of cases) {
    test(`${name}: records stored, acks equal the captured server's`, async () => {
      const t = await session();
      await using _ = t.temp;
      const bytes = capture(`fluent/${name}.conn0.bin`);
      for (let i = 0; i < bytes.length; i += 37) t.s.data(bytes.subarray(i, i + 37));
      await t.settle();
      expect({ records: t.records().length, acks: t.writes(), drops: t.drops, ended: t.ended() }).toEqual({
        records: n,
        acks: unpackAll(capture(`fluent/${name}.conn0.server-acks.bin`)),
        drops: [],
        ended: false,
      });
    });
  }

  test("fields: message/log/msg as raw, the rest as attrs, tag, EventTime with nanoseconds", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(capture("fluent/fluentlogger-compressedpackedforward-ack-eventtime.conn0.bin"));
    t.s.data(capture("fluent/docker-fluentd-driver-ack.conn0.bin"));
    await t.settle();
    const rs = t.records();
    expect(rs.map((r) => ({ ...r, ts: r.ts > 1.7e15 && r.ts % 1_000_000 !== 0 }))).toEqual([
      { raw: "first CompressedPackedForward", attrs: { ...base, tag: "app.access", n: "1" }, ts: true },
      { raw: "second CompressedPackedForward", attrs: { ...base, tag: "app.access", n: "2", nested: '{"a":[1,2]}' }, ts: true },
      { raw: "fluentd err", attrs: { ...base, tag: "docker.eloquent_curran", container_name: "/eloquent_curran", source: "stderr", container_id: rs[2]!.attrs.container_id! }, ts: true },
      { raw: "fluentd line 1", attrs: { ...base, tag: "docker.eloquent_curran", container_name: "/eloquent_curran", source: "stdout", container_id: rs[2]!.attrs.container_id! }, ts: true },
    ]);
  });
});

describe("hand-built frames", () => {
  test("Forward mode, every time format, PackedForward as str, options", async () => {
    const t = await session();
    await using _ = t.temp;
    const entries = [arr(encodeEventTime(1795726040, 5_000), p({ message: "evt" })), arr(p(1795726041), p({ log: "int" })), arr(p(1795726042.25), p({ msg: "float" })), arr(arr(encodeEventTime(1795726043, 0), p({ m: 1 })), p({ message: "with metadata" }))];
    t.s.data(arr(p("fwd"), Buffer.concat([Uint8Array.of(0x90 | entries.length), ...entries]), p({ chunk: "c1" })));
    t.s.data(p(["packed-str", Buffer.concat([p([1795726044, { message: "packed" }])]).toString("latin1")]));
    t.s.data(p(["msg", null, { message: "no time", level: 3, ok: false, nothing: null, bin: Buffer.from("bytes") }, {}]));
    const gz = gzipSync(Buffer.concat([p([1795726045, { message: "gz1" }]), p([1795726046, { message: "gz2" }])]));
    t.s.data(p(["gz", Buffer.concat([gz, gzipSync(p([1795726047, { message: "gz3" }]))]), { compressed: "gzip", chunk: "c2" }]));
    await t.settle();
    expect(t.records()).toEqual([
      { raw: "evt", attrs: { ...base, tag: "fwd" }, ts: 1795726040000005 },
      { raw: "int", attrs: { ...base, tag: "fwd" }, ts: 1795726041000000 },
      { raw: "float", attrs: { ...base, tag: "fwd" }, ts: 1795726042250000 },
      { raw: "with metadata", attrs: { ...base, tag: "fwd" }, ts: 1795726043000000 },
      { raw: "packed", attrs: { ...base, tag: "packed-str" }, ts: 1795726044000000 },
      { raw: "no time", attrs: { ...base, tag: "msg", level: "3", ok: "false", nothing: "", bin: "bytes" }, ts: 0 },
      { raw: "gz1", attrs: { ...base, tag: "gz" }, ts: 1795726045000000 },
      { raw: "gz2", attrs: { ...base, tag: "gz" }, ts: 1795726046000000 },
      { raw: "gz3", attrs: { ...base, tag: "gz" }, ts: 1795726047000000 },
    ]);
    expect([t.writes(), t.drops, t.counters.acked]).toEqual([[{ ack: "c1" }, { ack: "c2" }], [], 7]);
  });

  test("entries that are not [time, map] are dropped and counted; the rest is stored and acked", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(p(["t", [[1, { message: "good" }], [1, "not a map"], [1], [-5, { message: "negative time" }], [2, { message: "good too" }]], { chunk: "x" }]));
    await t.settle();
    expect([t.records().map((r) => r.raw), t.writes(), t.drops, t.counters.dropped("decode_failed")]).toEqual([
      ["good", "good too"],
      [{ ack: "x" }],
      ['decode_failed 3: Fluent message from 127.0.0.1 (tag t): 3 entries rejected: record must be a map, got "not a map"'],
      3,
    ]);
  });

  test("protocol errors are counted with the reason and end the connection without an ack", async () => {
    const cases: [string, Uint8Array, string][] = [
      ["not an array", p({ a: 1 }), "expected [tag, time|entries, ...], got a map"],
      ["tag not a string", p([1, 2, { m: 1 }]), "tag must be a string, got 1"],
      ["message mode without record", p(["t", 1]), "Message mode needs [tag, time, record, option?], got 2 elements"],
      ["option not a map", p(["t", 1, { m: 1 }, "x"]), 'option must be a map, got "x"'],
      ["bad gzip", p(["t", Buffer.from("not gzip"), { compressed: "gzip", chunk: "c" }]), "CompressedPackedForward payload: incorrect header check"],
      ["unknown compression", p(["t", Buffer.alloc(0), { compressed: "zstd" }]), 'unsupported option compressed "zstd" (gzip or text)'],
      ["cut packed entries", p(["t", p([1, { m: "x" }]).subarray(0, 5)]), "PackedForward entries are not whole MessagePack values: Unexpected end of MessagePack data"],
      ["chunk id not a string", p(["t", 1, { m: 1 }, { chunk: 5 }]), "option chunk must be a string, got 5"],
      ["garbage bytes", Buffer.from("GET / HTTP/1.1\r\n"), "expected [tag, time|entries, ...], got 71"],
      ["over maxMessageBytes", Uint8Array.of(0xc6, 0x7f, 0xff, 0xff, 0xff), "a MessagePack value is larger than maxMessageBytes (1048576 bytes)"],
    ];
    const got = [];
    for (const [name, bytes] of cases) {
      const t = await session();
      await using _ = t.temp;
      t.s.data(bytes);
      t.s.data(p(["after", 1, { message: "ignored after the error" }, { chunk: "late" }]));
      await t.settle();
      got.push({ name, drops: t.drops.map((d) => d.replace(/^protocol 1: Fluent connection from 127.0.0.1: (.*); closing it$/, "$1")), ended: t.ended(), acks: t.writes().length, records: t.records().length });
    }
    expect(got).toEqual(cases.map(([name, , reason]) => ({ name, drops: [reason], ended: true, acks: 0, records: 0 })));
  });
});

test("a chunk whose records could not be stored is not acked, and the connection ends so the client resends", async () => {
  const t = await session({ failAppends: true });
  await using _ = t.temp;
  t.s.data(p(["t", [[1, { message: "a" }], [2, { message: "b" }]], { chunk: "never" }]));
  await t.settle();
  expect([t.writes(), t.ended(), t.counters.dropped("append_failed"), t.counters.acked]).toEqual([[], true, 2, 0]);
});

describe("shared-key handshake", () => {
  const key = "s3cret";
  const ping = (nonce: Uint8Array, sharedKey: string) => p(["PING", "client-host", "salty", sha512Hex("salty", "client-host", nonce, sharedKey), "", ""]);

  test("HELO first; a PING with the right key gets a PONG proving the server knows it, then events flow", async () => {
    const t = await session({ sharedKey: key });
    await using _ = t.temp;
    const [hello] = t.writes() as [["HELO", { nonce: Uint8Array; auth: string; keepalive: boolean }]];
    expect([hello[0], hello[1].nonce.length, hello[1].auth, hello[1].keepalive]).toEqual(["HELO", 16, "", true]);
    t.s.data(ping(hello[1].nonce, key));
    t.s.data(p(["t", 1795726040, { message: "after handshake" }, { chunk: "k" }]));
    await t.settle();
    expect([t.writes().slice(1), t.records().map((r) => r.raw), t.ended()]).toEqual([
      [["PONG", true, "", "gastrolog-test", sha512Hex("salty", "gastrolog-test", hello[1].nonce, key)], { ack: "k" }],
      ["after handshake"],
      false,
    ]);
  });

  test("a wrong key gets PONG false and the connection ends; events before PING are refused", async () => {
    const wrong = await session({ sharedKey: key });
    await using _w = wrong.temp;
    wrong.s.data(ping((wrong.writes()[0] as [string, { nonce: Uint8Array }])[1].nonce, "guess"));
    const early = await session({ sharedKey: key });
    await using _e = early.temp;
    early.s.data(p(["t", 1, { message: "no handshake" }]));
    await wrong.settle();
    await early.settle();
    expect([wrong.writes()[1], wrong.ended(), wrong.drops, early.writes()[1], early.ended(), early.records().length]).toEqual([
      ["PONG", false, "shared key mismatch", "", ""],
      true,
      ["protocol 1: Fluent connection from 127.0.0.1: handshake refused: shared key mismatch; closing it"],
      ["PONG", false, "expected PING [\"PING\", hostname, salt, digest, username, password], got an array of 3", "", ""],
      true,
      0,
    ]);
  });
});
