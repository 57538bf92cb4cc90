/**
 * GELF decoding: real client captures (gelf-pro zlib chunks, Docker gzip chunks, gelfling,
 * graygelf, graypy, TCP NUL frames), hand-made chunk sets (out of order, duplicate, empty
 * trailing chunk, incomplete, evicted, invalid), field mapping, and fuzzing with accounting.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { deflateSync, gzipSync } from "node:zlib";
import { capture } from "../../test-support.ts";
import { GelfChunkAssembler, type DropSink } from "./chunks.ts";
import { gelfRecord, inflatePayload } from "./message.ts";
import { NulFramer } from "./nul-framer.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();

function collector() {
  const drops: [string, number, number][] = [];
  const sink: DropSink = (reason, messages, bytes) => drops.push([reason, messages, bytes]);
  return { drops, sink };
}

/** Runs datagrams through reassembly + decoding like the UDP receiver does. */
function decodeDatagrams(dgs: Uint8Array[]) {
  const a = new GelfChunkAssembler();
  const { drops, sink } = collector();
  const out: ReturnType<typeof gelfRecord>[] = [];
  for (const d of dgs) {
    const whole = d[0] === 0x1e && d[1] === 0x0f ? a.add(d, 0, sink) : d;
    if (whole) out.push(gelfRecord(inflatePayload(whole, 8 << 20), { receiver: "g" }));
  }
  return { out: out.map((r) => ({ raw: dec.decode(r.raw).slice(0, 40), attrs: r.attrs, sourceTs: r.sourceTs, error: r.error })), drops, open: a.open };
}

function chunk(id: number, seq: number, count: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(12 + data.length);
  b.set([0x1e, 0x0f, 0, 0, 0, 0, 0, 0, 0, id, seq, count]);
  b.set(data, 12);
  return b;
}

describe("GELF captures", () => {
  test("gelf-pro UDP zlib: single-chunk and 3-chunk messages", () => {
    const r = decodeDatagrams([0, 1, 2, 3].map((i) => capture(`gelf/gelfpro-udp-zlib.dg${i}.bin`)));
    expect(r.out.map((o) => ({ raw: o.raw, level: o.attrs.level, facility: o.attrs.facility, env: o.attrs.env, error: o.error }))).toEqual([
      { raw: "gelf-pro small message", level: "6", facility: "peers", env: "test", error: "" },
      { raw: "gelf-pro big message", level: "3", facility: "peers", env: "test", error: "" },
    ]);
    expect(r.out[0]).toMatchObject({ attrs: { receiver: "g", host: "vm", user_id: "42" }, sourceTs: 1795725293678000 });
    expect(r.out[1]!.attrs.big!.length).toBe(4000);
    expect([r.drops, r.open]).toEqual([[], 0]);
  });

  test("Docker gelf driver: gzip plain and chunked; chunks reversed give the same result", () => {
    const dgs = [0, 1, 2, 3, 4, 5].map((i) => capture(`gelf/docker-gelf-driver-udp-gzip.dg${i}.bin`));
    const fwd = decodeDatagrams(dgs);
    expect(fwd.out.length).toBe(3);
    expect(fwd.out[0]!.attrs).toMatchObject({ host: "vm", container_name: expect.any(String), image_name: "mini:latest", tag: expect.any(String) });
    expect(decodeDatagrams([dgs[0]!, dgs[1]!, ...dgs.slice(2).reverse()]).out).toEqual(fwd.out);
  });

  test("gelfling, graygelf (gzip and plain) and graypy (zlib, GELF 1.0) decode without errors", () => {
    const sets = [
      [0, 1, 2].map((i) => capture(`gelf/gelfling-udp-gzip.dg${i}.bin`)),
      [0, 1, 2, 3].map((i) => capture(`gelf/graygelf-udp-gzip.dg${i}.bin`)),
      [capture("gelf/graygelf-udp-plain.dg0.bin")],
      [0, 1].map((i) => capture(`gelf/graypy-udp-zlib.dg${i}.bin`)),
    ];
    const got = sets.map((s) => decodeDatagrams(s).out.map((o) => [o.error, o.sourceTs > 0]));
    expect(got).toEqual([[["", true]], [["", true], ["", true]], [["", true]], [["", true], ["", true]]]);
  });

  test("TCP NUL-delimited frames (gelf-pro, Docker, graypy)", () => {
    const frames: string[] = [];
    for (const f of ["gelfpro-tcp-null.conn0.bin", "gelfpro-tcp-null.conn1.bin", "docker-gelf-driver-tcp.conn0.bin", "graypy-tcp-null.conn0.bin"]) {
      const fr = new NulFramer(1 << 20);
      const sink = { frame: (b: Uint8Array, s: number, e: number) => frames.push(dec.decode(b.subarray(s, e))), dropped: () => frames.push("DROP") };
      fr.push(capture(`gelf/${f}`), sink);
      fr.end(sink);
    }
    expect(frames.map((f) => gelfRecord(enc.encode(f), {}).raw).map((r) => dec.decode(r).slice(0, 22))).toEqual([
      "gelf-pro small message",
      "gelf-pro big message",
      "gelf tcp 1",
      "gelf tcp 2",
      "graypy one",
      "graypy two",
    ]);
  });
});

describe("GELF chunk sets", () => {
  const msg = enc.encode(JSON.stringify({ version: "1.1", host: "h", short_message: "hello", full_message: "hello\nstack", timestamp: 1.5, level: 3, _user: "bob", _id: "x", _n: 7 }));
  const z = deflateSync(msg);
  const parts = [z.subarray(0, 10), z.subarray(10, 20), z.subarray(20)];

  test("out of order, duplicate and empty trailing chunk", () => {
    const a = new GelfChunkAssembler();
    const { drops, sink } = collector();
    const cs = [chunk(1, 2, 4, parts[2]!), chunk(1, 0, 4, parts[0]!), chunk(1, 0, 4, parts[0]!), chunk(1, 3, 4, new Uint8Array(0)), chunk(1, 1, 4, parts[1]!)];
    const results = cs.map((c) => a.add(c, 0, sink));
    expect(results.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(gelfRecord(inflatePayload(results[4]!, 1 << 20), {})).toEqual({
      raw: enc.encode("hello\nstack"),
      attrs: { host: "h", level: "3", user: "bob", n: "7" },
      sourceTs: 1_500_000,
      error: "",
    });
    expect(drops).toEqual([["duplicate_chunk", 1, 22]]);
  });

  test("incomplete sets expire, the oldest is evicted when too many are open, bad headers are dropped", () => {
    const a = new GelfChunkAssembler({ timeoutMicros: 1000, maxSets: 2 });
    const { drops, sink } = collector();
    a.add(chunk(1, 0, 2, parts[0]!), 0, sink);
    a.add(chunk(2, 0, 2, parts[0]!), 10, sink);
    a.add(chunk(3, 0, 2, parts[0]!), 20, sink);
    a.add(chunk(4, 5, 2, parts[0]!), 20, sink);
    a.add(chunk(5, 0, 129, parts[0]!), 20, sink);
    a.add(chunk(3, 0, 3, parts[0]!), 20, sink);
    expect(a.expire(500, sink)).toBe(0);
    expect(a.expire(1015, sink)).toBe(1);
    expect([drops, a.open]).toEqual([[["evicted", 1, 22], ["protocol", 1, 22], ["protocol", 1, 22], ["protocol", 1, 22], ["incomplete", 1, 22]], 1]);
  });

  test("numeric fields keep the text they were sent as; a timestamp with a trailing zero still sets sourceTs", () => {
    const payload = enc.encode('{"version":"1.1","host":"h","short_message":"m","timestamp":1700000000.500,"level":6,"_ratio":1.0,"_trace":12345678901234567890}');
    expect(gelfRecord(payload, {})).toEqual({ raw: enc.encode("m"), attrs: { host: "h", level: "6", ratio: "1.0", trace: "12345678901234567890" }, sourceTs: 1_700_000_000_500_000, error: "" });
  });

  test("payload errors are kept raw with a reason", () => {
    const cases: [Uint8Array, string][] = [
      [enc.encode("not json"), "invalid GELF JSON: JSON Parse error: Unexpected identifier \"not\""],
      [enc.encode("[1]"), "invalid GELF: not a JSON object"],
      [enc.encode('{"host":"h"}'), "invalid GELF: short_message missing or not a string"],
    ];
    for (const [p, err] of cases) expect(gelfRecord(p, {})).toMatchObject({ raw: p, error: err });
    expect(() => inflatePayload(gzipSync(new Uint8Array(2000)), 1000)).toThrow();
  });
});

describe("GELF fuzz", () => {
  const seeds = [0, 1, 2, 3].map((i) => capture(`gelf/gelfpro-udp-zlib.dg${i}.bin`));
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([s, m]) => {
    const b = s.slice();
    for (const [i, v] of m) b[i % b.length] = v;
    return b;
  });

  test("datagrams: never throws except inflate (caught by the receiver); every chunk accounted", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.of(0x1e, 0x0f, ...b))), { maxLength: 8 }), (dgs) => {
        const a = new GelfChunkAssembler();
        let accounted = 0;
        let completed = 0;
        const sink: DropSink = () => accounted++;
        for (const d of dgs) {
          const whole = a.add(d, 0, sink);
          if (whole) {
            completed++;
            try {
              gelfRecord(inflatePayload(whole, 1 << 20), {});
            } catch {
              accounted++;
            }
          }
        }
        a.clear(sink);
        return completed + accounted >= (dgs.length > 0 ? 1 : 0);
      }),
      { numRuns: 800 },
    );
  });

  test("NUL framer: frames + delimiters + dropped bytes = input, however split", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }).map((b) => b.map((x) => (x % 3 === 0 ? 0 : x))), { maxLength: 6 }), (chunks) => {
        const f = new NulFramer(16);
        let bytes = 0;
        const sink = { frame: (_b: Uint8Array, s: number, e: number) => (bytes += e - s), dropped: (_r: string, _m: number, n: number) => (bytes += n) };
        for (const c of chunks) f.push(c, sink);
        f.end(sink);
        return bytes + f.overhead === chunks.reduce((n, c) => n + c.length, 0);
      }),
      { numRuns: 1500 },
    );
  });
});
