/**
 * HTTP receiver against real clients: winston-loki (protobuf+Snappy and JSON), pino-loki (JSON)
 * and curl (NDJSON, text, gzip, wait-ack), plus status codes for a full queue and bad input.
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
