/**
 * The tail receiver on real files in a temp dir, with a real file store behind the pipeline:
 * where a first run starts, inotify and polling, rotation by rename, truncation in place with
 * the copy read from where the original stopped, deletion and re-creation, rotated .gz files,
 * `**` globs, multi-line records, UTF-16 with BOM, the line limit, a corrupt rotated .gz, and
 * resuming after a stop.
 */

import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PositionStore } from "../../checkpoint/positions.ts";
import { storeAppender } from "../../pipeline/appender.ts";
import { IngestPipeline } from "../../pipeline/pipeline.ts";
import { tempStore, type TempStore } from "../../test-support.ts";
import type { Receiver, ReceiverEvent } from "../receiver.ts";
import { createReceiver } from "../registry.ts";
import type { LogRecord } from "../../../core/record.ts";
import { until } from "../../../../test/support/until.ts";

const dec = new TextDecoder();

interface Tail extends AsyncDisposable {
  dir: string;
  temp: TempStore;
  receiver: Receiver;
  /** Every event the receivers reported. */
  events: ReceiverEvent[];
  /** Raw text of every stored record, in store order. */
  lines(): string[];
  records(): LogRecord[];
  /** Waits until `n` records are stored. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Stops the receiver and starts a new one on the same positions (a restart). */
  restart(): Promise<void>;
}

async function tail(glob: string, options: Record<string, unknown>, prepare: (dir: string) => void = () => {}): Promise<Tail> {
  const dir = mkdtempSync(join(tmpdir(), "tail-"));
  prepare(dir);
  const temp = await tempStore("tail-store-");
  const positions = new PositionStore(join(temp.dir, "positions.sqlite"));
  let appended = 0;
  const events: ReceiverEvent[] = [];
  const inner = storeAppender(temp.store);
  const pipeline = new IngestPipeline({
    async append(rs) {
      await inner.append(rs);
      appended += rs.length;
    },
  });
  const make = () => createReceiver({ id: "t1", type: "tail", listen: [`file://${join(dir, glob)}`], options: { pollMs: 20, scanMs: 50, rotateWaitMs: 100, flushMs: 100, ...options } }, { pipeline, positions, onEvent: (e) => events.push(e) });
  let receiver = make();
  await receiver.start();
  const h: Tail = {
    dir,
    temp,
    events,
    get receiver() {
      return receiver;
    },
    lines: () => temp.records().map((r) => dec.decode(r.raw)),
    records: () => temp.records(),
    async waitFor(n, timeoutMs = 10_000) {
      await until(() => appended >= n, { what: `${n} records`, timeoutMs, detail: () => `stored ${appended}: ${JSON.stringify(h.lines())}` });
    },
    async restart() {
      await receiver.stop();
      await pipeline.drain();
      receiver = make();
      await receiver.start();
    },
    async [Symbol.asyncDispose]() {
      await receiver.stop();
      await pipeline.drain();
      positions.close();
      await temp[Symbol.asyncDispose]();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Waits until the receiver has read everything there is: `n` records, then a quiet moment. */
async function settledAt(t: Tail, n: number): Promise<string[]> {
  await t.waitFor(n);
  await Bun.sleep(150);
  return t.lines();
}

describe("where reading starts", () => {
  const cases = [
    { start: "end", want: ["new 1"] },
    { start: "beginning", want: ["old 1", "old 2", "new 1"] },
  ];
  for (const c of cases) {
    test(`start=${c.start} on the first run`, async () => {
      await using t = await tail("*.log", { start: c.start }, (d) => writeFileSync(join(d, "a.log"), "old 1\nold 2\n"));
      appendFileSync(join(t.dir, "a.log"), "new 1\n");
      expect(await settledAt(t, c.want.length)).toEqual(c.want);
    });
  }
});

describe("following appends", () => {
  for (const watch of [true, false]) {
    test(`${watch ? "inotify" : "polling only"}: appends, a partial line completed later, attrs`, async () => {
      await using t = await tail("*.log", { start: "beginning", watch });
      const f = join(t.dir, "app.log");
      writeFileSync(f, "2024-05-01T10:00:00Z first\n");
      await t.waitFor(1);
      appendFileSync(f, "second part");
      await Bun.sleep(100);
      appendFileSync(f, "ial\nthird\n");
      await t.waitFor(3);
      const rs = t.records();
      expect(rs.map((r) => ({ raw: dec.decode(r.raw), attrs: r.attrs, sourceTs: r.sourceTs }))).toEqual([
        { raw: "2024-05-01T10:00:00Z first", attrs: { receiver: "t1", file: f }, sourceTs: Date.UTC(2024, 4, 1, 10) * 1000 },
        { raw: "second partial", attrs: { receiver: "t1", file: f }, sourceTs: Date.UTC(2024, 4, 1, 10) * 1000 },
        { raw: "third", attrs: { receiver: "t1", file: f }, sourceTs: Date.UTC(2024, 4, 1, 10) * 1000 },
      ]);
    });
  }

  test("** globs find nested files, also in directories created later", async () => {
    await using t = await tail("**/*.log", { start: "beginning" }, (d) => {
      mkdirSync(join(d, "a/b"), { recursive: true });
      writeFileSync(join(d, "a/b/x.log"), "x1\n");
      writeFileSync(join(d, "top.log"), "t1\n");
      writeFileSync(join(d, "skip.txt"), "no\n");
    });
    await t.waitFor(2);
    mkdirSync(join(t.dir, "c/d/e"), { recursive: true });
    writeFileSync(join(t.dir, "c/d/e/y.log"), "y1\n");
    expect((await settledAt(t, 3)).sort()).toEqual(["t1", "x1", "y1"]);
  });
});

describe("rotation", () => {
  test("rename (create): the old file is read to its end, the new one from its start", async () => {
    await using t = await tail("app.log", { start: "beginning" });
    const f = join(t.dir, "app.log");
    writeFileSync(f, "a1\na2\n");
    await t.waitFor(2);
    renameSync(f, `${f}.1`);
    appendFileSync(`${f}.1`, "a3 written after the rename\n");
    writeFileSync(f, "b1\n");
    expect((await settledAt(t, 4)).sort()).toEqual(["a1", "a2", "a3 written after the rename", "b1"]);
    expect(new Set(t.records().map((r) => r.attrs.file))).toEqual(new Set([f]));
  });

  test("copytruncate: new content from its start, and the copy's unread tail once", async () => {
    await using t = await tail("app.log", { start: "beginning" });
    const f = join(t.dir, "app.log");
    const first = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(3, "0")} of the first generation`);
    writeFileSync(f, first.slice(0, 30).join("\n") + "\n");
    await t.waitFor(30);
    await t.receiver.stop();
    // While the receiver is stopped: more lines, then logrotate's copy and truncate.
    appendFileSync(f, first.slice(30).join("\n") + "\n");
    copyFileSync(f, `${f}-20240101`);
    truncateSync(f, 0);
    appendFileSync(f, "second generation 1\n");
    await t.receiver.start();
    expect((await settledAt(t, 41)).sort()).toEqual([...first, "second generation 1"].sort());
  });

  test("deleted and re-created", async () => {
    await using t = await tail("app.log", { start: "beginning" });
    const f = join(t.dir, "app.log");
    writeFileSync(f, "gen1 a\n");
    await t.waitFor(1);
    unlinkSync(f);
    await Bun.sleep(50);
    writeFileSync(f, "gen2 a\ngen2 b\n");
    expect(await settledAt(t, 3)).toEqual(["gen1 a", "gen2 a", "gen2 b"]);
  });

  for (const readRotated of [true, false]) {
    test(`rotated history (.1 and .2.gz) with readRotated=${readRotated}; never read twice`, async () => {
      await using t = await tail("app.log", { start: "beginning", readRotated }, (d) => {
        writeFileSync(join(d, "app.log.2.gz"), gzipSync("h2 a\nh2 b\n"));
        writeFileSync(join(d, "app.log.1"), "h1 a\n");
        writeFileSync(join(d, "app.log"), "live a\n");
      });
      const want = readRotated ? ["h1 a", "h2 a", "h2 b", "live a"] : ["live a"];
      expect((await settledAt(t, want.length)).sort()).toEqual(want);
      await t.restart();
      appendFileSync(join(t.dir, "app.log"), "live b\n");
      expect((await settledAt(t, want.length + 1)).sort()).toEqual([...want, "live b"].sort());
    });
  }

  test("a corrupt rotated .gz is a warning at most once a second (it is retried every scan); the live file is read", async () => {
    const started = performance.now();
    await using t = await tail("app.log", { start: "beginning", readRotated: true }, (d) => {
      writeFileSync(join(d, "app.log.1.gz"), Buffer.concat([gzipSync("old\n").subarray(0, 10), Buffer.from("not deflate data at all")]));
      writeFileSync(join(d, "app.log"), "live a\n");
    });
    expect(await settledAt(t, 1)).toEqual(["live a"]);
    const warnings = t.events.filter((e) => e.kind === "read");
    expect(warnings[0]).toEqual({ receiver: "t1", level: "warn", kind: "read", message: expect.stringMatching(new RegExp(`^cannot read ${join(t.dir, "app.log.1.gz")}: .+`)) });
    expect(warnings.length).toBeLessThanOrEqual(Math.ceil((performance.now() - started) / 1000));
  });

  test("a file compressed after it was read is not read again; its unread tail is", async () => {
    await using t = await tail("app.log", { start: "beginning" });
    const f = join(t.dir, "app.log");
    const lines = Array.from({ length: 30 }, (_, i) => `compressed line ${String(i).padStart(3, "0")} with enough text for a fingerprint`);
    writeFileSync(f, lines.slice(0, 20).join("\n") + "\n");
    await t.waitFor(20);
    await t.receiver.stop();
    // Down: ten more lines, then the file is rotated and compressed (the plain one deleted).
    appendFileSync(f, lines.slice(20).join("\n") + "\n");
    writeFileSync(`${f}.1.gz`, gzipSync(lines.join("\n") + "\n"));
    unlinkSync(f);
    writeFileSync(f, "fresh\n");
    await t.receiver.start();
    expect((await settledAt(t, 31)).sort()).toEqual([...lines, "fresh"].sort());
  });
});

describe("content", () => {
  test("multi-line records by start pattern, the last one flushed after flushMs", async () => {
    await using t = await tail("*.log", { start: "beginning", multilineStart: "^\\d{4}-\\d{2}-\\d{2} " });
    writeFileSync(
      join(t.dir, "java.log"),
      "2024-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat A.b(A.java:1)\n\tat C.d(C.java:2)\n2024-01-01 INFO ok\n2024-01-01 WARN last\n  continued\n",
    );
    expect(await settledAt(t, 3)).toEqual(["2024-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat A.b(A.java:1)\n\tat C.d(C.java:2)", "2024-01-01 INFO ok", "2024-01-01 WARN last\n  continued"]);
  });

  for (const [name, bytes] of [
    ["utf-16le", new Uint8Array([0xff, 0xfe, ...[..."hé\r\nwörld\n"].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])])],
    ["utf-16be", new Uint8Array([0xfe, 0xff, ...[..."hé\r\nwörld\n"].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])])],
    ["utf-8 with BOM", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("hé\r\nwörld\n")])],
  ] as const) {
    test(`${name}: recognised by its BOM, stored as UTF-8`, async () => {
      await using t = await tail("*.log", { start: "beginning" }, (d) => writeFileSync(join(d, "w.log"), bytes));
      expect(await settledAt(t, 2)).toEqual(["hé", "wörld"]);
    });
  }

  test("lines over maxLineBytes are cut, marked and counted", async () => {
    await using t = await tail("*.log", { start: "beginning", maxLineBytes: 100 }, (d) => writeFileSync(join(d, "l.log"), `short\n${"x".repeat(5000)}\nafter\n`));
    await settledAt(t, 3);
    const rs = t.records();
    expect(rs.map((r) => ({ len: r.raw.length, truncated: Object.hasOwn(r.attrs, "_truncated") ? r.attrs._truncated : "-" }))).toEqual([
      { len: 5, truncated: "-" },
      { len: 100, truncated: "5000" },
      { len: 5, truncated: "-" },
    ]);
    const s = t.receiver.stats();
    expect({ rawTruncated: s.limits.rawTruncated, dropped: s.dropped, droppedBytes: s.droppedBytes }).toEqual({ rawTruncated: 1, dropped: { truncated: 1 }, droppedBytes: 4900 });
    expect(t.events.filter((e) => e.kind === "drop")).toEqual([
      { receiver: "t1", level: "warn", kind: "drop", message: `dropped input: truncated 1 (4900 bytes): ${join(t.dir, "l.log")}: a line of 5000 bytes cut to 100 (maxLineBytes)` },
    ]);
  });
});

test("a restart resumes where the last one stopped: nothing lost, nothing twice", async () => {
  await using t = await tail("*.log", { start: "beginning" });
  const f = join(t.dir, "r.log");
  const all: string[] = [];
  for (let round = 0; round < 4; round++) {
    const batch = Array.from({ length: 50 }, (_, i) => `round ${round} line ${i}`);
    all.push(...batch);
    appendFileSync(f, batch.join("\n") + "\n");
    if (round % 2 === 1) await t.restart();
  }
  expect(await settledAt(t, all.length)).toEqual(all);
});

test("bad sources are refused with the reason", () => {
  const pipeline = new IngestPipeline({ append: async () => {} });
  const bad: [string[], Record<string, unknown>, string][] = [
    [["file://relative/x.log"], {}, "is not a source like file:///var/log/app/*.log"],
    [["udp://127.0.0.1:1"], {}, "is not a source like"],
    [["unix:///x.sock"], {}, "tail reads file:///path/or/glob only"],
    [["file:///x/*.log?start=middle"], {}, "option start must be one of end, beginning"],
    [["file:///x/*.log"], { multilineStart: "(" }, "option multilineStart is not a valid regular expression"],
    [["file:///x/*.log?colour=red"], {}, 'unknown option "colour"'],
    [["file:///x/a.log?start=end", "file:///x/b.log?start=beginning"], {}, "option start is given twice"],
  ];
  for (const [listen, options, msg] of bad) expect(() => createReceiver({ id: "t", type: "tail", listen, options }, { pipeline })).toThrow(msg);
});
