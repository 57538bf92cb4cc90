/**
 * Docker decoding without a daemon: json-file lines captured from a real engine (basic,
 * TTY, --log-opt attrs, a 40 KB line split into 16 KiB parts) and fluent-bit's docker-mode
 * vectors (split lines, first-line multi-line detection); API log streams (a real
 * multiplexed capture; TTY framing as the engine writes it) and the resume positions, checked
 * by a property: stop anywhere, resume with Docker's inclusive `since`, and every record
 * comes exactly once.
 */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { capture, sharedFixture } from "../../test-support.ts";
import { RecordAssembler } from "../../files/assembler.ts";
import { lineFeeder } from "../../files/line-feeder.ts";
import { ReceiverCounters } from "../../pipeline/counters.ts";
import { dockerSince } from "../../parse/rfc3339-nano.ts";
import { containerAttrs, containerFilter, matchesFilter, type ContainerInfo } from "./containers.ts";
import { DockerJsonDecoder } from "./jsonfile.ts";
import { DockerLogParser, sinceOf, type LogPosition } from "./log-stream.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();

/** Records of a json-file log: raw text, stream, sourceTs and extra attrs. */
function decodeJsonFile(bytes: Uint8Array, multiline?: RegExp): { raw: string; attrs: Record<string, string>; sourceTs: number }[] {
  const assembler = new RecordAssembler(multiline, 1 << 20);
  const decoder = new DockerJsonDecoder(assembler, (stream): Record<string, string> => (stream === "" ? {} : { stream }), new ReceiverCounters());
  const feeder = lineFeeder(decoder, 1 << 20, "utf-8");
  feeder.push(bytes, 0);
  feeder.end();
  decoder.flush();
  assembler.flush();
  return assembler.out.map((r) => ({ raw: dec.decode(r.raw), attrs: { ...r.attrs }, sourceTs: r.sourceTs }));
}

describe("json-file lines from a real engine", () => {
  test("basic: streams, variable time digits, a last line without newline", () => {
    expect(decodeJsonFile(capture("docker/jsonfile-basic-json.log"))).toEqual([
      { raw: "hello stderr", attrs: { stream: "stderr" }, sourceTs: Date.UTC(2026, 10, 26, 20, 49, 52) * 1000 + 544249 },
      { raw: "hello stdout", attrs: { stream: "stdout" }, sourceTs: Date.UTC(2026, 10, 26, 20, 49, 52) * 1000 + 544461 },
      { raw: "no newline at end", attrs: { stream: "stdout" }, sourceTs: Date.UTC(2026, 10, 26, 20, 49, 52) * 1000 + 562468 },
    ]);
  });

  test("TTY lines lose their CR; --log-opt attrs become attrs", () => {
    expect(decodeJsonFile(capture("docker/jsonfile-tty-json.log")).map((r) => r.raw)).toEqual(["tty line 1", "tty err"]);
    expect(decodeJsonFile(capture("docker/jsonfile-attrs-labels-env-json.log"))[0]!.attrs).toEqual({ stream: "stdout", TIER: "front", app: "web", tag: "t5" });
  });

  test("a 40 KB line written as 16 KiB parts is one record", () => {
    const rs = decodeJsonFile(capture("docker/jsonfile-partial-16k-split-json.log"));
    const lines = dec.decode(capture("docker/jsonfile-partial-16k-split-json.log")).trim().split("\n").map((l) => JSON.parse(l) as { log: string });
    expect(rs.map((r) => r.raw)).toEqual(lines.map((l) => l.log).join("").replace(/\n$/, "").split("\n"));
    expect(rs.map((r) => r.raw.length).some((n) => n > 16 * 1024)).toBe(true);
  });

  test("a line that is not json-file is kept with parse_error and counted", () => {
    const counters = new ReceiverCounters();
    const assembler = new RecordAssembler(undefined, 1 << 20);
    const decoder = new DockerJsonDecoder(assembler, () => ({}), counters);
    decoder.line(enc.encode("garbage"), 0, 7, 0, 8);
    expect({ out: assembler.out.map((r) => [dec.decode(r.raw), r.attrs.parse_error]), parseErrors: counters.parseErrors }).toEqual({ out: [["garbage", "not a Docker json-file line"]], parseErrors: 1 });
  });
});

const vectors = sharedFixture("vectors/fluent-bit-tail");
describe.skipIf(!vectors)("fluent-bit docker-mode vectors (needs ../shared/fixtures/vectors/fluent-bit-tail)", () => {
  const names = vectors ? readdirSync(join(vectors, "log")).map((f) => f.replace(/\.log$/, "")) : [];
  for (const name of names) {
    test(name, () => {
      // fluent-bit's test config detects first lines with `^\d{4}-\d{2}-\d{2}` where the name says so.
      const multiline = name.includes("multiple_lines") || name.includes("firstline") ? /^\d{4}-\d{2}-\d{2}/ : undefined;
      const got = decodeJsonFile(new Uint8Array(readFileSync(join(vectors!, "log", `${name}.log`))), multiline).map((r) => r.raw);
      const want = readFileSync(join(vectors!, "out", `${name}.out`), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { log: string }).log.replace(/\n$/, ""));
      expect(got).toEqual(want);
    });
  }
});

/** A multiplexed frame as the engine writes it. */
function frame(stream: number, text: string): Uint8Array {
  const body = enc.encode(text);
  const out = new Uint8Array(8 + body.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

function parseAll(chunks: Uint8Array[], tty: boolean, from?: LogPosition): string[] {
  const p = new DockerLogParser(tty, (s) => ({ stream: s }), from, 0);
  for (const c of chunks) p.push(c);
  p.end();
  return p.out.map((r) => `${r.attrs.stream}:${dec.decode(r.raw)}`);
}

describe("API log streams", () => {
  test("a real multiplexed capture (timestamps=1), fed in every split", () => {
    const bytes = capture("docker/api-logs-multiplexed-timestamps.bin");
    const want = ["stderr:hello stderr", "stdout:hello stdout", "stdout:no newline at end"];
    for (let cut = 0; cut <= bytes.length; cut++) expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)], false)).toEqual(want);
  });

  test("multiplexed 16 KiB parts are joined per stream, also interleaved with the other stream", () => {
    const ts = "2026-12-02T14:29:41.785202580Z ";
    const chunks = [frame(1, ts + "a".repeat(16384)), frame(2, "2026-12-02T14:29:41.785202581Z err\n"), frame(1, ts + "a".repeat(100) + "\n")];
    expect(parseAll(chunks, false)).toEqual(["stderr:err", `stdout:${"a".repeat(16484)}`]);
  });

  test("TTY: timestamped messages back to back, 16 KiB parts joined, CR LF dropped", () => {
    const raw = enc.encode(`2026-12-02T14:29:42.084275607Z ${"b".repeat(16384)}2026-12-02T14:29:42.084275607Z ${"b".repeat(10)}\r\n2026-12-02T14:29:42.092229483Z done\r\n`);
    for (const cut of [0, 1, 31, 16400, 16420, raw.length - 3]) expect(parseAll([raw.subarray(0, cut), raw.subarray(cut)], true)).toEqual([`stdout:${"b".repeat(16394)}`, "stdout:done"]);
  });

  test("lines the daemon sends again after a rotation (same stream, time and text) are dropped and counted", () => {
    const a = "2026-12-02T14:42:23.656032500Z rot 184\n";
    const b = "2026-12-02T14:42:23.656032600Z rot 185\n";
    const p = new DockerLogParser(false, (s) => ({ stream: s }), undefined, 0);
    for (const f of [frame(1, a), frame(1, b), frame(1, a), frame(1, b), frame(2, a), frame(1, "2026-12-02T14:42:23.656032500Z other text\n")]) p.push(f);
    expect({ out: p.out.map((r) => `${r.attrs.stream}:${dec.decode(r.raw)}`), duplicates: p.duplicates }).toEqual({ out: ["stdout:rot 184", "stdout:rot 185", "stderr:rot 184", "stdout:other text"], duplicates: 2 });
  });

  test("property: stop anywhere, resume from the position with an inclusive since, every record once", () => {
    const msg = fc.record({ dt: fc.integer({ min: 0, max: 2 }), stream: fc.constantFrom(1, 2), parts: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.array(msg, { minLength: 1, maxLength: 25 }), fc.nat(), (msgs, stopAt) => {
        // Build the frames the engine would send: times never decrease; parts share a time.
        let t = 1_700_000_000_000_000;
        const frames: { us: number; data: Uint8Array }[] = [];
        const want: string[] = [];
        msgs.forEach((m, i) => {
          t += m.dt;
          const stamp = new Date(Math.floor(t / 1000)).toISOString().slice(0, 19) + `.${String(t % 1_000_000).padStart(6, "0")}000Z `;
          for (let p = 0; p < m.parts; p++) frames.push({ us: t, data: frame(m.stream, `${stamp}m${i}p${p}${p === m.parts - 1 ? "\n" : ""}`) });
          want.push(`${m.stream === 1 ? "stdout" : "stderr"}:m${i}${Array.from({ length: m.parts }, (_, p) => `m${i}p${p}`).join("").slice(`m${i}`.length)}`);
        });
        const cut = stopAt % (frames.length + 1);
        const first = new DockerLogParser(false, (s) => ({ stream: s }), undefined, 0);
        for (const f of frames.slice(0, cut)) first.push(f.data);
        const pos = first.position();
        const got = first.out.map((r) => `${r.attrs.stream}:${dec.decode(r.raw)}`);
        // Docker's since is inclusive: frames at or after the position's time come again.
        const since = sinceOf(pos);
        const again = frames.filter((f) => dockerSince(f.us, 0) >= since || pos.us < 0);
        got.push(...parseAll(again.map((f) => f.data), false, pos));
        expect(got.sort()).toEqual(want.sort());
      }),
    );
  });
});

describe("container filters", () => {
  const info: ContainerInfo = { id: "abc", name: "web-1", image: "nginx:1.25", labels: { app: "web", tier: "front" }, tty: false };
  const cases: [Record<string, string>, boolean][] = [
    [{}, true],
    [{ name: "^web-" }, true],
    [{ name: "^db" }, false],
    [{ image: "^nginx:" }, true],
    [{ label: "app=web" }, true],
    [{ label: "app=web,tier" }, true],
    [{ label: "app=db" }, false],
    [{ label: "missing" }, false],
  ];
  for (const [options, want] of cases) {
    test(JSON.stringify(options), () => expect(matchesFilter(containerFilter({ id: "d", type: "docker", listen: [], options }), info)).toBe(want));
  }
  test("attrs", () => expect(containerAttrs("r", info, "stdout")).toEqual({ receiver: "r", container_id: "abc", container_name: "web-1", image: "nginx:1.25", stream: "stdout", "label.app": "web", "label.tier": "front" }));
});
