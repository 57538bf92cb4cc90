/**
 * HTTP receiver against real clients: winston-loki (protobuf+Snappy and JSON), pino-loki (JSON)
 * and curl (NDJSON, text, gzip, wait-ack, a malformed journal upload), plus status codes for a
 * full queue and bad input.
 */

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { RecordInput } from "../../src/core/record.ts";
import { hasCommand, run, startHarness } from "./support.ts";

const sender = join(import.meta.dir, "clients/loki-send.cjs");
const dec = new TextDecoder();

describe("Loki clients", () => {
  for (const kind of ["winston-proto", "winston-json"] as const) {
    test(`${kind}`, async () => {
      await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
      await run([process.execPath, sender, kind, String(h.port("http"))]);
      await h.appender.waitFor(2);
      const got = h.records().map((r) => ({ raw: dec.decode(r.raw), app: r.attrs.app, env: r.attrs.env, level: r.attrs.level, tenant: r.attrs.tenant, ts: r.sourceTs > 0 }));
      const row = (raw: string, level: string) => ({ raw, app: "peer-test", env: "ci", level, tenant: "tenant1", ts: true });
      expect(got.sort((a, b) => (a.raw < b.raw ? -1 : 1))).toEqual([
        row('hello from winston-loki {"user":"bob","level":"info"}', "info"),
        row('second line with "quotes" and ünïcode {"level":"error"}', "error"),
      ]);
    });
  }

  test("pino-loki", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
    await run([process.execPath, sender, "pino", String(h.port("http"))]);
    await h.appender.waitFor(2);
    const got = h.records().map((r) => ({ msg: JSON.parse(dec.decode(r.raw)).msg, app: r.attrs.app, level: r.attrs.level, tenant: r.attrs.tenant }));
    expect(got.sort((a, b) => (a.msg < b.msg ? -1 : 1))).toEqual([
      { msg: "hello from pino-loki", app: "peer-test", level: "info", tenant: "tenant1" },
      { msg: "second pino line", app: "peer-test", level: "warning", tenant: "tenant1" },
    ]);
  });
});

describe.skipIf(!hasCommand("curl"))("curl (needs curl)", () => {
  test("NDJSON with wait-ack, gzip text, query attrs, errors", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
    const base = `http://127.0.0.1:${h.port("http")}`;
    const curl = (...args: string[]) => run(["curl", "-sS", "-w", " %{http_code}", ...args]);
    expect(await curl("-H", "X-Wait-Ack: true", "--data-binary", '{"message":"a","level":"info"}\n{"msg":"b"}\n', `${base}/ingest/ndjson?service=api`)).toBe('{"accepted":2} 200');
    const gz = gzipSync(Buffer.from("plain one\nplain two\n"));
    const file = join(h.temp.dir, "body.gz");
    await Bun.write(file, gz);
    expect(await curl("-H", "Content-Encoding: gzip", "--data-binary", `@${file}`, `${base}/ingest/text`)).toBe(" 204");
    expect(await curl("--data-binary", "x", `${base}/nope`)).toBe("no such endpoint: /nope\n 404");
    expect(await curl(`${base}/ingest/text`)).toBe("use POST\n 405");
    expect(await curl("-H", "Content-Encoding: br", "--data-binary", "x", `${base}/ingest/text`)).toBe('unsupported Content-Encoding "br" (gzip, deflate)\n 415');
    expect(await curl("-H", "Content-Type: application/json", "--data-binary", "{}", `${base}/loki/api/v1/push`)).toBe('Loki push: expected {"streams": [...]}\n 400');
    expect(await curl(`${base}/ready`)).toBe("ready\n 200");
    await h.appender.waitFor(4);
    await h.pipeline.drain();
    expect(h.records().map((r) => [dec.decode(r.raw), r.attrs.service ?? "-", r.attrs.level ?? "-"])).toEqual([
      ["a", "api", "info"],
      ["b", "api", "-"],
      ["plain one", "-", "-"],
      ["plain two", "-", "-"],
    ]);
    const s = h.receiver.stats();
    expect({ acked: s.acked, stored: s.stored, dropped: s.dropped }).toEqual({ acked: 2, stored: 4, dropped: { decode_failed: 2 } });
  });

  test("Loki timestamps: what Loki refuses is refused with the position, counted, and nothing of that push stored", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
    const url = `http://127.0.0.1:${h.port("http")}/loki/api/v1/push`;
    const push = (values: unknown[]) => run(["curl", "-sS", "-w", " %{http_code}", "-H", "Content-Type: application/json", "--data-binary", JSON.stringify({ streams: [{ stream: { app: "t" }, values }] }), url]);
    const cases: [unknown[], string][] = [
      [[["1795726040877000001", "ok line"], ["notanumber", "line"]], 'Loki push: streams[0].values[1]: timestamp must be integer nanoseconds since the epoch (0..9223372036854775807), got "notanumber"\n 400'],
      [[[1795726040877000000, "line"]], "Loki push: streams[0].values[0]: timestamp must be a string of integer nanoseconds since the epoch, got the JSON number 1795726040877000000\n 400"],
      [[["1.5e18", "line"]], 'Loki push: streams[0].values[0]: timestamp must be integer nanoseconds since the epoch (0..9223372036854775807), got "1.5e18"\n 400'],
      [[["-5", "line"]], 'Loki push: streams[0].values[0]: timestamp must be integer nanoseconds since the epoch (0..9223372036854775807), got "-5"\n 400'],
      [[["9223372036854775808", "line"]], 'Loki push: streams[0].values[0]: timestamp must be integer nanoseconds since the epoch (0..9223372036854775807), got "9223372036854775808"\n 400'],
      [[[null, "line"]], "Loki push: streams[0].values[0]: timestamp must be a string of integer nanoseconds since the epoch, got the JSON null null\n 400"],
      [[["1795726040877000001", "good"], ["+1795726040877999999", "plus sign, as strconv.ParseInt takes it"]], " 204"],
    ];
    const got: string[] = [];
    for (const [values] of cases) got.push(await push(values));
    expect(got).toEqual(cases.map((c) => c[1]));
    await h.appender.waitFor(2);
    await h.pipeline.drain();
    expect(h.records().map((r) => [dec.decode(r.raw), r.sourceTs])).toEqual([
      ["good", 1795726040877000],
      ["plus sign, as strconv.ParseInt takes it", 1795726040877999],
    ]);
    expect(h.receiver.stats().dropped).toEqual({ decode_failed: 6 });
  });

  test("a body over maxBodyBytes answers 413 saying the limit, with or without Content-Length, and is counted", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"], options: { maxBodyBytes: 1024 } });
    const url = `http://127.0.0.1:${h.port("http")}/ingest/text`;
    const file = join(h.temp.dir, "big.txt");
    await Bun.write(file, "x".repeat(5000) + "\n");
    const curl = (...args: string[]) => run(["curl", "-sS", "-w", " %{http_code}", ...args, url]);
    const sized = await curl("--data-binary", `@${file}`);
    const chunked = await curl("-H", "Transfer-Encoding: chunked", "--data-binary", `@${file}`);
    const small = await curl("--data-binary", "fits\n");
    expect([sized, chunked.replace(/of \d+\+ bytes/, "of N+ bytes"), small]).toEqual([
      "request body of 5001 bytes is over the receiver's limit maxBodyBytes=1024; send smaller batches or raise the option\n 413",
      "request body of N+ bytes is over the receiver's limit maxBodyBytes=1024; send smaller batches or raise the option\n 413",
      " 204",
    ]);
    await h.appender.waitFor(1);
    await h.pipeline.drain();
    const s = h.receiver.stats();
    expect({ dropped: s.dropped, stored: s.stored, logged: h.events.filter((e) => e.kind === "drop").length > 0 }).toEqual({ dropped: { oversize: 2 }, stored: 1, logged: true });
  });

  test("POST /upload with a malformed journal export body: 400 naming the fault, the entries before it kept, counted and logged with the sender", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] });
    const url = `http://127.0.0.1:${h.port("http")}/upload`;
    const got = await run(["curl", "-sS", "-w", " %{http_code}", "-H", "Content-Type: application/vnd.fdo.journal", "--data-binary", "MESSAGE=first\n\n=bad\n\n", url]);
    await h.pipeline.drain();
    const s = h.receiver.stats();
    expect({ got, stored: h.records().map((r) => dec.decode(r.raw)), dropped: s.dropped, parseErrors: s.parseErrors, logged: h.events.filter((e) => e.kind === "drop").map((e) => e.message) }).toEqual({
      got: "journal export: bad field name at byte 15\n 400",
      stored: ["first"],
      dropped: { decode_failed: 1 },
      parseErrors: 1,
      logged: ["dropped input: decode_failed 1 (0 bytes): /upload from 127.0.0.1: journal export: bad field name at byte 15 (after 1 entries)"],
    });
  });

  test("POST /upload with a gzip body over maxBodyBytes: 413 saying the limit, counted, nothing stored (a compressed body is read whole)", async () => {
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"], options: { maxBodyBytes: 1024 } });
    const url = `http://127.0.0.1:${h.port("http")}/upload`;
    const entries = Array.from({ length: 2000 }, (_, i) => `MESSAGE=entry ${i} ${crypto.randomUUID()}\n\n`).join("");
    const file = join(h.temp.dir, "upload.gz");
    await Bun.write(file, gzipSync(entries));
    const post = (...args: string[]) =>
      run(["curl", "-sS", "-w", " %{http_code}", "-H", "Content-Type: application/vnd.fdo.journal", "-H", "Content-Encoding: gzip", ...args, "--data-binary", `@${file}`, url]);
    const sized = await post();
    const chunked = await post("-H", "Transfer-Encoding: chunked");
    await h.pipeline.drain();
    const s = h.receiver.stats();
    expect({ sized, chunked: chunked.replace(/of \d+\+ bytes/, "of N+ bytes"), stored: h.records().length, dropped: s.dropped }).toEqual({
      sized: `request body of ${Bun.file(file).size} bytes is over the receiver's limit maxBodyBytes=1024; send smaller batches or raise the option\n 413`,
      chunked: "request body of N+ bytes is over the receiver's limit maxBodyBytes=1024; send smaller batches or raise the option\n 413",
      stored: 0,
      dropped: { oversize: 2 },
    });
  });

  test("a full queue answers 429 with Retry-After", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    await using h = await startHarness({ type: "http", listen: ["http://127.0.0.1:0"] }, { maxQueuedRecords: 2 });
    const inner = h.appender.append.bind(h.appender);
    h.appender.append = async (rs: RecordInput[]) => {
      await gate;
      await inner(rs);
    };
    const url = `http://127.0.0.1:${h.port("http")}/ingest/text`;
    const first = await fetch(url, { method: "POST", body: "1\n" });
    await h.pipeline.whenSpace();
    const second = await fetch(url, { method: "POST", body: "2\n3\n4\n" });
    const third = await fetch(url, { method: "POST", body: "5\n" });
    expect([first.status, second.status, third.status, third.headers.get("retry-after")]).toEqual([204, 204, 429, "1"]);
    release();
    await h.pipeline.drain();
    expect(h.receiver.stats().dropped).toEqual({ queue_full: 1 });
  });
});
