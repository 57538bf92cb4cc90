/**
 * HTTP body decoding: Loki push captures (winston-loki protobuf+Snappy and JSON with structured
 * metadata, pino-loki JSON), label sets, NDJSON and text lines, and fuzzing of the protobuf and
 * label readers.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { uncompress } from "snappyjs";
import { jsonTimeMicros, ndjsonRecord } from "../../parse/ndjson.ts";
import { capture } from "../../test-support.ts";
import { parseLabels } from "./labels.ts";
import { ndjsonRecords, textRecords } from "./lines.ts";
import { lokiJsonRecords, lokiProtoRecords, lokiTimestampMicros } from "./loki.ts";
import { decodeLokiPush } from "./loki-proto.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();
const ctx = { year: 2026 };
const view = (rs: { raw: Uint8Array; attrs: object; sourceTs: number }[]) => rs.map((r) => ({ raw: dec.decode(r.raw), attrs: r.attrs, sourceTs: r.sourceTs }));

describe("Loki push", () => {
  test("winston-loki protobuf + snappy (no Content-Encoding header)", () => {
    const proto = view(lokiProtoRecords(uncompress(capture("loki/winston-loki-protobuf.req0.body.bin")), { tenant: "t" }, 1));
    expect(proto).toEqual([
      { raw: 'hello from winston-loki {"user":"bob","level":"info"}', attrs: { tenant: "t", level: "info", app: "peer-test", env: "ci", module: "a" }, sourceTs: proto[0]!.sourceTs },
      { raw: 'second line with "quotes" and ünïcode {"level":"error"}', attrs: { tenant: "t", level: "error", app: "peer-test", env: "ci" }, sourceTs: proto[1]!.sourceTs },
    ]);
    expect(proto[0]!.sourceTs).toBeGreaterThan(1.7e15);
  });

  test("winston-loki JSON with structured metadata, pino-loki JSON", () => {
    const w = view(lokiJsonRecords(dec.decode(capture("loki/winston-loki-json.req0.body.bin")), {}, 1));
    expect(w[0]).toEqual({
      raw: 'hello from winston-loki {"user":"bob","level":"info"}',
      attrs: { level: "info", app: "peer-test", env: "ci", module: "a", user: "bob" },
      sourceTs: 1795726040877000,
    });
    const p = view(lokiJsonRecords(dec.decode(capture("loki/pino-loki-json.req0.body.bin")), {}, 1));
    expect(p).toEqual([{ raw: expect.stringContaining('"msg":"hello from pino-loki"'), attrs: { level: "info", hostname: "vm", app: "peer-test" }, sourceTs: 1795726042059000 }]);
  });

  test("malformed bodies are rejected with a reason", () => {
    expect(() => lokiJsonRecords("{}", {}, 1)).toThrow('Loki push: expected {"streams": [...]}');
    expect(() => lokiJsonRecords('{"streams":[{"stream":{},"values":[[1]]}]}', {}, 1)).toThrow("each value must be [timestamp, line, metadata?]");
    expect(() => decodeLokiPush(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow("length 5 runs past the end");
  });

  test("JSON timestamps follow Loki: a string of int64 nanoseconds, else the push is refused", () => {
    const cases: [unknown, number | string][] = [
      ["1795726040877123456", 1795726040877123],
      ["+1795726040877123456", 1795726040877123],
      ["999", 0],
      ["0", 0],
      ["9223372036854775807", 9223372036854775],
      ["9223372036854775808", "0..9223372036854775807), got \"9223372036854775808\""],
      ["notanumber", 'got "notanumber"'],
      ["-1", 'got "-1"'],
      [" 1", 'got " 1"'],
      ["", 'got ""'],
      [1795726040877123456, "got the JSON number 1795726040877123600"],
      [null, "got the JSON null null"],
      [["1"], 'got the JSON object ["1"]'],
    ];
    const got = cases.map(([v]) => {
      try {
        return lokiTimestampMicros(v, "x");
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(got.map((g, i) => (typeof g === "number" ? g : g.endsWith(String(cases[i]![1])) && g.startsWith("Loki push: x: timestamp must be")))).toEqual(
      cases.map(([, want]) => (typeof want === "number" ? want : true)),
    );
  });

  test("labels", () => {
    const out: Record<string, string> = {};
    parseLabels('{a="x", b_2="y\\"z\\\\", c=""}', out);
    expect(out).toEqual({ a: "x", b_2: 'y"z\\', c: "" });
    expect(() => parseLabels('{a="x"', {})).toThrow("expected ',' or '}' after a label");
    expect(() => parseLabels("a", {})).toThrow("expected '{'");
  });

  test("fuzz: protobuf and label readers only throw LogErrors", () => {
    const seed = uncompress(capture("loki/winston-loki-protobuf.req0.body.bin"));
    const mutated = fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((m) => {
      const b = seed.slice();
      for (const [i, v] of m) b[i] = v;
      return b;
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), mutated), (b) => {
      try {
        lokiProtoRecords(b, {}, 1);
      } catch (e) {
        expect((e as Error).name).toMatch(/ParseError|LogError/);
      }
    }), { numRuns: 1500 });
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      try {
        parseLabels(s, {});
      } catch (e) {
        expect((e as Error).name).toBe("ParseError");
      }
    }), { numRuns: 1000 });
  });
});

describe("NDJSON and text", () => {
  test("fields, message keys, timestamps, bad lines", () => {
    const body = enc.encode(
      ['{"message":"m1","level":"info","n":3,"time":"2026-01-02T03:04:05.5Z"}', '{"msg":"m2","ts":1700000000.25,"obj":{"a":1}}', '{"log":"m3\\n"}', '{"other":1}', "not json", "[1,2]", "", '{"message":"crlf"}\r'].join("\n"),
    );
    expect(view(ndjsonRecords(body, { receiver: "h" }, 9, ctx))).toEqual([
      { raw: "m1", attrs: { receiver: "h", level: "info", n: "3", time: "2026-01-02T03:04:05.5Z" }, sourceTs: Date.UTC(2026, 0, 2, 3, 4, 5, 500) * 1000 },
      { raw: "m2", attrs: { receiver: "h", ts: "1700000000.25", obj: '{"a":1}' }, sourceTs: 1700000000250000 },
      { raw: "m3\n", attrs: { receiver: "h" }, sourceTs: 0 },
      { raw: '{"other":1}', attrs: { receiver: "h", other: "1" }, sourceTs: 0 },
      { raw: "not json", attrs: { receiver: "h", parse_error: "invalid JSON" }, sourceTs: 0 },
      { raw: "[1,2]", attrs: { receiver: "h", parse_error: "not a JSON object" }, sourceTs: 0 },
      { raw: "crlf", attrs: { receiver: "h" }, sourceTs: 0 },
    ]);
    expect([1e9, 1e12, 1e15, 1e18, -1, "1700000000", "garbage"].map((v) => jsonTimeMicros(v, ctx))).toEqual([1e15, 1e15, 1e15, 1e15, 0, 1.7e15, 0]);
  });

  test("text lines keep bytes verbatim and read a leading timestamp", () => {
    const body = enc.encode("2026-01-02T03:04:05Z first\r\n\nsecond \xff\nlast");
    expect(view(textRecords(body, { receiver: "h" }, 9, ctx))).toEqual([
      { raw: "2026-01-02T03:04:05Z first", attrs: { receiver: "h" }, sourceTs: Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 },
      { raw: "second \xff", attrs: { receiver: "h" }, sourceTs: 0 },
      { raw: "last", attrs: { receiver: "h" }, sourceTs: 0 },
    ]);
  });

  test("fuzz: any line gives exactly one record per non-empty line", () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, "")), { maxLength: 8 }), (lines) => {
      const rs = ndjsonRecords(enc.encode(lines.join("\n")), {}, 1, ctx);
      expect(rs.length).toBe(lines.filter((l) => l !== "").length);
      for (const l of lines) ndjsonRecord(l, {}, ctx);
    }), { numRuns: 800 });
  });
});
