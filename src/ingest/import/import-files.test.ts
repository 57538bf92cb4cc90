/** importFiles against an in-test ChunkStore fake: sources, records, batching, summary, progress. */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { LogError } from "../../core/errors.ts";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import type { ChunkMeta, ChunkStore } from "../../storage/types.ts";
import { importFiles, type ImportCommit, type ImportProgress } from "./import-files.ts";

/**
 * Keeps a copy of every record, taken after a turn of the event loop (a store may read the bytes
 * any time before its append settles, and only then), and rotates every `perChunk` records.
 */
class FakeStore {
  readonly records: RecordInput[] = [];
  readonly batchSizes: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  idled = false;
  private metas: ChunkMeta[] = [];

  constructor(private readonly perChunk: number) {}

  async append(batch: readonly RecordInput[]): Promise<RecordRef[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.batchSizes.push(batch.length);
    await Promise.resolve();
    const refs: RecordRef[] = [];
    for (const r of batch) {
      const n = this.records.push({ ...r, raw: r.raw.slice() }) - 1;
      const c = Math.floor(n / this.perChunk);
      this.metas[c] ??= { id: `c${c}`, storedBytes: 0 } as ChunkMeta;
      this.metas[c]!.storedBytes += 10;
      refs.push({ chunk: `c${c}`, pos: n % this.perChunk });
    }
    this.inFlight--;
    return refs;
  }
  chunk(id: string): ChunkMeta | undefined {
    return this.metas.find((m) => m.id === id);
  }
  async idle(): Promise<void> {
    this.idled = true;
  }
  async seal(): Promise<void> {}
  asStore(): ChunkStore {
    return this as unknown as ChunkStore;
  }
}

const dir = mkdtempSync(join(tmpdir(), "gastrolog-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longLine = "L".repeat(MAX_RAW_BYTES + 500);
const text = [
  "2015-07-29T17:41:44.5Z first",
  "Jun 14 15:16:01 host sshd[1]: crlf line\r",
  "no timestamp here",
  longLine,
  "bad \xff byte",
  "",
  "081109 203615 last without newline",
].join("\n");
const bytes = new Uint8Array(Buffer.from(text, "latin1"));

function clock(step = 1000): () => number {
  let t = 1_700_000_000_000_000;
  return () => (t += step);
}

function expectedRecords(file: string): object[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  // Lines without a timestamp inherit the previous line's.
  const ts = [1438191704500000, 1718378161000000, 1718378161000000, 1718378161000000, 1718378161000000, 1718378161000000, 1226262975000000];
  return lines.map((l, i) => ({
    raw: l === longLine ? l.slice(0, MAX_RAW_BYTES) : l,
    attrs: l === longLine ? { file, _truncated: String(longLine.length) } : { file },
    sourceTs: ts[i],
  }));
}

function simplify(records: RecordInput[]): object[] {
  return records.map((r) => ({ raw: Buffer.from(r.raw).toString("latin1"), attrs: r.attrs, sourceTs: r.sourceTs }));
}

describe("importFiles", () => {
  const plain = join(dir, "app.log");
  writeFileSync(plain, bytes);
  writeFileSync(join(dir, "app.log.gz"), gzipSync(bytes));
  writeFileSync(join(dir, "app.log.zst"), Bun.zstdCompressSync(bytes));

  test.each(["app.log", "app.log.gz", "app.log.zst"])("%s: records and summary", async (name) => {
    const store = new FakeStore(4);
    const summary = await importFiles(store.asStore(), [join(dir, name)], { storeBatch: 3, clock: clock(), year: 2024 });
    expect(simplify(store.records)).toEqual(expectedRecords(name));
    expect({ ...summary, seconds: 0, recordsPerSec: 0, mbPerSec: 0 }).toEqual({
      files: 1,
      records: 7,
      alreadyStored: 0,
      stopped: false,
      position: { file: 0, line: 7, byte: bytes.length, sourceTs: 1226262975000000 },
      lines: 7,
      inputBytes: bytes.length,
      rawBytes: bytes.length - 6 - 1 - 500,
      truncated: 1,
      binary: 1,
      timestamped: 3,
      seconds: 0,
      recordsPerSec: 0,
      mbPerSec: 0,
      storedBytes: 70,
      indexBytes: 0,
      ratio: 70 / bytes.length,
    });
    expect({ batches: store.batchSizes, maxInFlight: store.maxInFlight, idled: store.idled }).toEqual({
      batches: [3, 3, 1],
      maxInFlight: 1,
      idled: true,
    });
  });

  test("stdin, ingestTs from the clock, several files, progress", async () => {
    const store = new FakeStore(100);
    const progress: ImportProgress[] = [];
    const stdin = (async function* () {
      yield new TextEncoder().encode("a\nb");
      yield new TextEncoder().encode("c\n");
    })();
    const summary = await importFiles(store.asStore(), ["-", plain], {
      storeBatch: 8192,
      clock: clock(60_000),
      year: 2024,
      stdin,
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(store.records.slice(0, 2).map((r) => [Buffer.from(r.raw).toString(), r.attrs, r.ingestTs])).toEqual([
      ["a", { file: "stdin" }, 1_700_000_000_000_000 + 60_000 * 2],
      ["bc", { file: "stdin" }, 1_700_000_000_000_000 + 60_000 * 4],
    ]);
    expect(summary.records).toBe(9);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(progress.filter((p) => p.fileDone).map((p) => [p.file, p.fileIndex, p.bytesRead, p.bytesTotal, p.lines])).toEqual([
      ["-", 0, 5, undefined, 2],
      [plain, 1, bytes.length, bytes.length, 9],
    ]);
  });

  test("a missing file rejects with not_found naming it", async () => {
    const missing = join(dir, "nope.log");
    const err = await importFiles(new FakeStore(1).asStore(), [missing], { storeBatch: 10, clock: clock() }).catch((e) => e);
    expect([err instanceof LogError, (err as LogError).code, (err as LogError).message.includes(missing)]).toEqual([
      true,
      "not_found",
      true,
    ]);
  });

  test("a corrupt .gz rejects with corrupt", async () => {
    const bad = join(dir, "bad.log.gz");
    writeFileSync(bad, new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const err = await importFiles(new FakeStore(1).asStore(), [bad], { storeBatch: 10, clock: clock() }).catch((e) => e);
    expect([err instanceof LogError, (err as LogError).code]).toEqual([true, "corrupt"]);
  });

  test("the next append waits for the promise onCommit returned; its rejection fails the import", async () => {
    const store = new FakeStore(100);
    const events: string[] = [];
    const append = store.append.bind(store);
    store.append = (batch) => {
      events.push(`append ${batch.length}`);
      return append(batch);
    };
    const slowCommit = (c: ImportCommit) => Bun.sleep(5).then(() => void events.push(`committed ${c.records}`));
    await importFiles(store.asStore(), [plain], { storeBatch: 3, clock: clock(), year: 2024, onCommit: slowCommit });
    expect(events).toEqual(["append 3", "committed 3", "append 3", "committed 6", "append 1", "committed 7"]);
    const failing = importFiles(new FakeStore(100).asStore(), [plain], { storeBatch: 3, clock: clock(), onCommit: () => Promise.reject(new LogError("unavailable", "disk full")) });
    expect(await failing.catch((e: LogError) => e.message)).toBe("disk full");
  });

  test.each(["app.log", "app.log.gz", "app.log.zst"])("%s: resuming at any acknowledged position imports exactly the rest", async (name) => {
    const path = join(dir, name);
    const commits: ImportCommit[] = [];
    await importFiles(new FakeStore(100).asStore(), [path], { storeBatch: 2, clock: clock(), year: 2024, onCommit: (c) => void commits.push(c) });
    expect(commits.map((c) => [c.position.line, c.records])).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
      [7, 7],
    ]);
    for (const c of commits) {
      const rest = new FakeStore(100);
      const summary = await importFiles(rest.asStore(), [path], { storeBatch: 2, clock: clock(), year: 2024, from: c.position });
      expect(simplify(rest.records)).toEqual(expectedRecords(name).slice(c.position.line));
      expect(summary.position).toEqual(commits.at(-1)!.position);
    }
  });

  test("a file of many read blocks: every record keeps its bytes while later blocks are read into recycled memory", async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${i} ${"x".repeat(i % 173)}`);
    const path = join(dir, "many-blocks.log");
    writeFileSync(path, lines.join("\n") + "\n");
    const store = new FakeStore(1_000_000);
    const summary = await importFiles(store.asStore(), [path], { storeBatch: 4096, clock: clock(), year: 2024 });
    const got = store.records.map((r) => Buffer.from(r.raw).toString("latin1"));
    expect({ records: summary.records, wrong: got.filter((l, i) => l !== lines[i]).length }).toEqual({ records: lines.length, wrong: 0 });
  });

  test("records the sink already holds are skipped, then everything after is appended", async () => {
    const store = new FakeStore(100);
    const held = ["2015-07-29T17:41:44.5Z first", "Jun 14 15:16:01 host sshd[1]: crlf line", "something else"];
    let i = 0;
    const summary = await importFiles(store.asStore(), [plain], { storeBatch: 1, clock: clock(), year: 2024, skipWhile: (r) => Buffer.from(r.raw).toString("latin1") === held[i++] });
    expect({ appended: store.records.length, records: summary.records, alreadyStored: summary.alreadyStored, checked: i }).toEqual({ appended: 5, records: 5, alreadyStored: 2, checked: 3 });
  });

  test("a signal that never fires holds no listener per block read (each read's block is released)", async () => {
    const store = new FakeStore(1000);
    const signal = new AbortController().signal;
    let listening = 0;
    let most = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, fn: EventListener, o?: AddEventListenerOptions) => {
      most = Math.max(most, ++listening);
      add(type, fn, o);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, fn: EventListener) => {
      listening--;
      remove(type, fn);
    }) as typeof signal.removeEventListener;
    const enc = new TextEncoder();
    const stdin = (async function* () {
      for (let b = 0; b < 50; b++) yield enc.encode(`block ${b} a\nblock ${b} b\n`);
    })();
    const summary = await importFiles(store.asStore(), ["-"], { storeBatch: 10, clock: clock(), stdin, signal });
    expect({ records: summary.records, listening, most }).toEqual({ records: 100, listening: 0, most: 1 });
  });

  test("an aborted signal stops reading: complete lines read so far are stored, the position says where to go on", async () => {
    const store = new FakeStore(100);
    const stop = new AbortController();
    const enc = new TextEncoder();
    const stdin = (async function* () {
      yield enc.encode("one\ntwo\nthr");
      stop.abort();
      yield enc.encode("ee\nfour\n");
    })();
    const summary = await importFiles(store.asStore(), ["-", plain], { storeBatch: 10, clock: clock(), stdin, signal: stop.signal });
    expect({ raws: store.records.map((r) => Buffer.from(r.raw).toString()), stopped: summary.stopped, position: summary.position }).toEqual({
      raws: ["one", "two"],
      stopped: true,
      position: { file: 0, line: 2, byte: 8, sourceTs: 0 },
    });
  });
});
