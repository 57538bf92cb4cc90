/**
 * Beats (Lumberjack v2) sessions on a real file store, with hand-built frames for what the
 * available clients never send — the edge cases of rsyslog's tests/imbeats-*.sh as far as they
 * concern the protocol: basic and compressed windows, cumulative acks over several windows,
 * partial acks while a big window is written, window overflow (also inside a compressed
 * frame), sequence resets, malformed zlib, limits, v1 and unknown frames, JSON that is not an
 * object (kept raw with parse_error), data frames; plus replayed go-lumber and
 * lumberjack-client captures answered with the captured acks.
 */

import { describe, expect, test } from "bun:test";
import { deflateSync } from "node:zlib";
import type { RecordInput } from "../../../core/record.ts";
import { storeAppender } from "../../pipeline/appender.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { until } from "../../../../test/support/until.ts";
import { capture, sessionProbe, tempStore, text } from "../../test-support.ts";
import { beatsJsonRecord } from "./event.ts";
import { BeatsSession } from "./session.ts";

const enc = new TextEncoder();

/** Frame builders (big-endian u32 fields). */
function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const W = (n: number) => cat(enc.encode("2W"), u32(n));
const J = (seq: number, json: string | object) => {
  const body = enc.encode(typeof json === "string" ? json : JSON.stringify(json));
  return cat(enc.encode("2J"), u32(seq), u32(body.length), body);
};
const C = (...frames: Uint8Array[]) => {
  const z = deflateSync(cat(...frames));
  return cat(enc.encode("2C"), u32(z.length), z);
};
const D = (seq: number, pairs: [string, string][]) => cat(enc.encode("2D"), u32(seq), u32(pairs.length), ...pairs.flatMap(([k, v]) => [u32(enc.encode(k).length), enc.encode(k), u32(enc.encode(v).length), enc.encode(v)]));
const events = (n: number, from = 1) => Array.from({ length: n }, (_, i) => J(from + i, { message: `m${from + i}` }));

/** Decoded `2A seq` acks in a byte stream. */
function acks(writes: Uint8Array[]): number[] {
  const b = cat(...writes);
  const out: number[] = [];
  for (let i = 0; i + 6 <= b.length; i += 6) out.push(new DataView(b.buffer, b.byteOffset).getUint32(i + 2));
  return out;
}

async function session(opts: { maxWindowSize?: number; maxFrameBytes?: number; maxDecodedBytes?: number; maxBatchRecords?: number; failWhen?: (raw: string) => boolean } = {}) {
  const temp = await tempStore();
  const probe = sessionProbe();
  const { counters, drops, writes } = probe;
  const store = storeAppender(temp.store);
  const fail = opts.failWhen;
  const appender = fail ? { append: (rs: RecordInput[]) => (rs.some((r) => fail(text(r))) ? Promise.reject(new Error("disk full")) : store.append(rs)) } : store;
  const pipeline = new IngestPipeline(appender, { maxBatchRecords: opts.maxBatchRecords });
  const s = new BeatsSession({
    io: probe.io,
    pipeline,
    counters,
    base: { receiver: "b1", remote_ip: "127.0.0.1" },
    remote: "127.0.0.1",
    limits: { maxWindowSize: opts.maxWindowSize ?? 1 << 20, maxFrameBytes: opts.maxFrameBytes ?? 1 << 20, maxDecodedBytes: opts.maxDecodedBytes ?? 1 << 20 },
    clock: () => 9,
  });
  const settle = async () => {
    await pipeline.drain();
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  const protocolErrors = () => drops.filter((d) => d.startsWith("protocol")).map((d) => d.replace(/^protocol 1: Beats connection from 127.0.0.1: (.*); closing it$/, "$1"));
  return { s, temp, counters, drops, protocolErrors, writes, pipeline, ended: probe.ended, settle, raws: () => temp.records().map(text) };
}

describe("client captures", () => {
  for (const name of ["golumber-v2-uncompressed.conn0", "golumber-v2-zlib.conn0", "lumberjack-client-v2.conn0"]) {
    test(`${name}: every event stored, acks byte-equal to the captured server's`, async () => {
      const t = await session();
      await using _ = t.temp;
      t.s.data(capture(`beats/${name}.bin`));
      await t.settle();
      expect({ acks: Buffer.concat(t.writes).toString("hex"), drops: t.drops, ended: t.ended(), stored: t.raws().length }).toEqual({
        acks: Buffer.from(capture(`beats/${name}.server-acks.bin`)).toString("hex"),
        drops: [],
        ended: false,
        stored: acks([capture(`beats/${name}.server-acks.bin`)]).reduce((a, b) => a + b, 0),
      });
    });
  }

  test("Filebeat fields: message as raw, nested fields flattened, @timestamp as source time", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(capture("beats/golumber-v2-uncompressed.conn0.bin"));
    await t.settle();
    const r = t.temp.records()[0]!;
    expect({ raw: text(r), beat: r.attrs["@metadata.beat"], host: r.attrs["host.name"], ts: r.sourceTs }).toEqual({ raw: text(r), beat: "filebeat", host: "vm", ts: Date.UTC(2024, 0, 2, 3, 4, 5, 678) * 1000 });
  });
});

test("JSON event numbers keep the text they were sent as (nested ones too)", () => {
  const event = new TextEncoder().encode('{"message":"m","ratio":1.0,"http":{"bytes":12345678901234567890,"ms":2.50},"n":7}');
  expect(beatsJsonRecord(event, 0, event.length, {}, 1).attrs).toEqual({ ratio: "1.0", "http.bytes": "12345678901234567890", "http.ms": "2.50", n: "7" });
});

describe("windows and acks", () => {
  test("basic, compressed, data frames, several windows on one connection: one cumulative ack per window", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(cat(W(1), J(1, { message: "basic", host: { name: "h" }, tags: ["a", "b"], n: 1, ok: true, none: null, empty: {} })));
    await t.settle();
    t.s.data(cat(W(3), C(...events(3))));
    await t.settle();
    t.s.data(cat(W(2), D(1, [["line", "data frame"], ["host", "h2"]]), D(2, [["other", "x"]]), W(2), ...events(2, 1)));
    await t.settle();
    expect({ acks: acks(t.writes), raws: t.raws(), first: t.temp.records()[0]!.attrs, drops: t.drops }).toEqual({
      acks: [1, 3, 2, 2],
      raws: ["basic", "m1", "m2", "m3", "data frame", '{"other":"x"}', "m1", "m2"],
      first: { receiver: "b1", remote_ip: "127.0.0.1", "host.name": "h", tags: '["a","b"]', n: "1", ok: "true", none: "", empty: "{}" },
      drops: [],
    });
  });

  test("a big window is acked piece by piece as it is written, also while it is still arriving", async () => {
    const t = await session({ maxBatchRecords: 1000 });
    await using _ = t.temp;
    t.s.data(cat(W(5000), ...events(2500)));
    await until(() => acks(t.writes).at(-1) === 2500);
    const early = acks(t.writes);
    t.s.data(cat(...events(2500, 2501)));
    await t.settle();
    const all = acks(t.writes);
    expect({ early, all, rising: all.every((a, i) => i === 0 || a > all[i - 1]!), stored: t.raws().length, acked: t.counters.acked }).toEqual({
      early: [1000, 2000, 2500],
      all: [...early, ...all.slice(early.length)],
      rising: true,
      stored: 5000,
      acked: 5000,
    });
    expect(all.slice(early.length).at(-1)).toBe(5000);
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  test("events whose append failed are never acked: the durable prefix is, then the connection ends", async () => {
    const t = await session({ maxBatchRecords: 2, failWhen: (raw) => raw === "m3" });
    await using _ = t.temp;
    t.s.data(cat(W(6), ...events(6)));
    await until(() => t.ended());
    await t.settle();
    expect({ acks: acks(t.writes), ended: t.ended(), failed: t.counters.dropped("append_failed"), stored: t.raws() }).toEqual({ acks: [2], ended: true, failed: 2, stored: ["m1", "m2", "m5", "m6"] });
  });

  test("JSON that is not one object is kept raw with parse_error and acked (a malformed event is data)", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(cat(W(4), J(1, '{"message":"ok"} trailing'), J(2, "[1,2]"), J(3, "not json"), J(4, '{"message":"fine"}')));
    await t.settle();
    expect({ acks: acks(t.writes), raws: t.raws(), errors: t.temp.records().map((r) => r.attrs.parse_error ?? "-"), parseErrors: t.counters.parseErrors }).toEqual({
      acks: [4],
      raws: ['{"message":"ok"} trailing', "[1,2]", "not json", "fine"],
      errors: ["invalid JSON", "not a JSON object", "invalid JSON", "-"],
      parseErrors: 3,
    });
  });
});

describe("protocol errors close the connection without acking the bad part", () => {
  const big = enc.encode("x".repeat(3000));
  const cases: [string, Uint8Array, string, Parameters<typeof session>[0]?][] = [
    ["more events than the window", cat(W(1), J(1, { message: "a" }), J(2, { message: "b" })), "event seq 2 outside a window (no window frame, or more events than it announced)"],
    ["compressed frame expanding past its window", cat(W(2), C(...events(3))), "event seq 3 outside a window (no window frame, or more events than it announced)"],
    ["sequence reset inside a window", cat(W(3), J(1, { message: "a" }), J(2, { message: "b" }), J(1, { message: "again" })), "event seq 1 after seq 2 in the same window (sequence numbers must rise)"],
    ["event before any window", J(1, { message: "a" }), "event seq 1 outside a window (no window frame, or more events than it announced)"],
    ["new window while events are due", cat(W(3), J(1, { message: "a" }), W(1)), "window frame while 2 events of the previous window are still due"],
    ["window over maxWindowSize", W(11), "window of 11 events is over maxWindowSize 10", { maxWindowSize: 10 }],
    ["malformed zlib", cat(W(1), enc.encode("2C"), u32(6), enc.encode("broken")), "compressed frame: incorrect header check"],
    ["compressed payload cut inside a frame", cat(W(1), (() => { const z = deflateSync(J(1, { message: "a" }).subarray(0, 8)); return cat(enc.encode("2C"), u32(z.length), z); })()), "compressed payload ends inside a frame (8 of at least 10 bytes)"],
    ["compressed inside compressed", cat(W(1), C(C(J(1, { message: "a" })))), "compressed frame inside a compressed frame"],
    ["inflated over maxDecodedBytes", cat(W(1), C(J(1, { message: "y".repeat(5000) }))), "compressed frame: Cannot create a Buffer larger than 2048 bytes", { maxDecodedBytes: 2048 }],
    ["frame over maxFrameBytes", cat(W(1), enc.encode("2J"), u32(1), u32(big.length), big), "JSON frame of 3000 bytes is over maxFrameBytes 2048", { maxFrameBytes: 2048 }],
    ["Lumberjack v1", cat(enc.encode("1W"), u32(1)), "Lumberjack v1 is not supported (use v2: Beats output.logstash)"],
    ["unknown frame type", cat(W(1), enc.encode("2Z"), u32(0)), "unknown frame type 0x5a ('Z')"],
    ["ack frame from the client", cat(enc.encode("2A"), u32(1)), "unexpected ack frame from the client"],
    ["HTTP request on the port", enc.encode("GET / HTTP/1.1\r\n\r\n"), "bad version byte 0x47"],
  ];
  for (const [name, bytes, reason, opts] of cases) {
    test(name, async () => {
      const t = await session(opts);
      await using _ = t.temp;
      t.s.data(bytes);
      t.s.data(cat(W(1), J(1, { message: "after the error" })));
      await t.settle();
      expect({ errors: t.protocolErrors(), ended: t.ended(), acks: acks(t.writes), stored: t.raws().includes("after the error") }).toEqual({ errors: [reason], ended: true, acks: [], stored: false });
    });
  }

  test("a connection closed inside a frame counts the cut bytes as incomplete", async () => {
    const t = await session();
    await using _ = t.temp;
    t.s.data(cat(W(1), J(1, { message: "cut" }).subarray(0, 12)));
    t.s.closed();
    expect(t.drops).toEqual(["incomplete 1: Beats connection from 127.0.0.1 closed inside a frame"]);
  });
});
