/**
 * Runs the shared ChunkStore conformance suite against the file store (inline sealing), plus
 * the worker sealer end to end, and readers of a chunk while it seals.
 */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BATCH_MAX_RECORDS } from "../column-batch.ts";
import { chunkStoreConformance, readAll, type TestStore } from "../conformance.suite.ts";
import type { FileStore } from "./file-store.ts";
import { openFileStore } from "./open-store.ts";
import { InlineSealer, WorkerSealer, type Sealer } from "./sealer.ts";
import type { SealJob } from "./seal-job.ts";
import { ENTRIES_FILE, HEADER_BYTES } from "./format.ts";
import { contents, expected, numbered, tempDir } from "./test-helpers.ts";
import type { LogError } from "../../core/errors.ts";
import { until } from "../../../test/support/until.ts";

/** Timeout of tests that create many chunks: each creation is 4 fsyncs, slow on a disk other jobs load. */
const SLOW_DISK_MS = 30_000;

/** Failed seals are not retried within these tests (seal-retry.test.ts covers retries). */
const NO_RETRY_HERE = { firstMs: 600_000, maxMs: 600_000 };

/** A seal worker that takes jobs and never answers (alive, not dead: no error, no exit). */
const HUNG_WORKER = URL.createObjectURL(new Blob(["self.onmessage = () => {};"], { type: "application/javascript" }));

chunkStoreConformance("file", async () => {
  const root = mkdtempSync(join(tmpdir(), "gl-file-"));
  const opened: FileStore[] = [];
  let n = 0;
  const open = async (dir: string, o: Parameters<typeof openFileStore>[1]) => {
    const s = await openFileStore(dir, { name: "file", ...o });
    opened.push(s);
    return s;
  };
  return {
    open: (o) => open(join(root, `s${n++}`), o),
    reopen: async (s: TestStore, o) => {
      await s.close();
      return open((s as FileStore).dir, o);
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}, true);

test("interval and never durability keep every record across close and reopen", async () => {
  const got: { kind: string; records: unknown[]; notes: unknown[] }[] = [];
  for (const durability of [{ kind: "interval", everyMs: 5 }, { kind: "never" }] as const) {
    using tmp = tempDir();
    let s = await openFileStore(tmp.path, { durability, rotation: { maxRecords: 40 } });
    await Promise.all(Array.from({ length: 10 }, (_, j) => s.append(Array.from({ length: 10 }, (_, i) => numbered(j * 10 + i)))));
    await s.close();
    s = await openFileStore(tmp.path, { durability });
    await s.idle();
    got.push({ kind: durability.kind, records: contents(s), notes: s.recovery.notes });
    await s.close();
  }
  expect(got).toEqual(["interval", "never"].map((kind) => ({ kind, records: expected(0, 100), notes: [] })));
});

test("appends arriving while a new chunk is being created share it: every record once, where its ref says, no chunk past the limit or empty", async () => {
  using tmp = tempDir();
  const s = await openFileStore(tmp.path, { rotation: { maxRecords: 5 } });
  const batches = Array.from({ length: 40 }, (_, j) => [numbered(3 * j), numbered(3 * j + 1), numbered(3 * j + 2)]);
  const refs = await Promise.all(batches.map((b) => s.append(b))); // all start before any chunk exists
  const byRef = refs.flat().map((ref) => {
    const r = s.open(ref.chunk);
    const rec = r.record(ref.pos);
    r.close();
    return new TextDecoder().decode(rec.raw);
  });
  const sizes = s.chunks().map((m) => m.records);
  const sortedIngest = contents(s).map((r) => r.ingestTs).sort((a, b) => a - b);
  await s.close();
  expect({ byRef, sortedIngest, overLimit: sizes.filter((n) => n > 5 || n === 0), total: sizes.reduce((a, b) => a + b, 0) }).toEqual({
    byRef: expected(0, 120).map((r) => new TextDecoder().decode(r.raw)),
    sortedIngest: Array.from({ length: 120 }, (_, i) => i + 1),
    overLimit: [],
    total: 120,
  });
}, SLOW_DISK_MS);

describe("file store with the worker sealer", () => {
  test("seals run in the seal worker while appends continue", async () => {
    using tmp = tempDir();
    const sealer = new WorkerSealer(new URL("../../app/seal-worker.ts", import.meta.url).href);
    const s = await openFileStore(tmp.path, { sealer, rotation: { maxRecords: 50 } });
    const appends = Array.from({ length: 20 }, (_, j) => s.append(Array.from({ length: 20 }, (_, i) => numbered(j * 20 + i))));
    const sealed = s.seal();
    await Promise.all([...appends, sealed]);
    await s.idle();
    const shape = s.chunks().map((m) => [m.state, m.records]);
    expect({ records: contents(s), sealedAll: shape.slice(0, -1).every(([st]) => st === "sealed"), total: shape.reduce((n, [, r]) => n + Number(r), 0) }).toEqual({
      records: expected(0, 400),
      sealedAll: true,
      total: 400,
    });
    await s.close();
    await sealer.close();
  });

  test("a chunk of several read batches seals exactly (the seal reads every batch into the same buffers)", async () => {
    using tmp = tempDir();
    const sealer = new WorkerSealer(new URL("../../app/seal-worker.ts", import.meta.url).href);
    const s = await openFileStore(tmp.path, { sealer });
    const n = 3 * BATCH_MAX_RECORDS + 123; // four batches, one block: payloads span batch ends
    for (let j = 0; j < n; j += 1000) await s.append(Array.from({ length: Math.min(1000, n - j) }, (_, i) => numbered(j + i)));
    await s.seal();
    await s.idle();
    expect({ records: contents(s), chunks: s.chunks().map((m) => [m.state, m.records]) }).toEqual({ records: expected(0, n), chunks: [["sealed", n]] });
    await s.close();
    await sealer.close();
  });

  test("a hung seal worker: an append waiting for a seal slot is refused after the wait bound, counted, with the sealing chunks named", async () => {
    using tmp = tempDir();
    const sealer = new WorkerSealer(HUNG_WORKER);
    const timeouts: number[] = [];
    const s = await openFileStore(tmp.path, { sealer, rotation: { maxRecords: 1 }, sealSlotWaitMs: 100, sealRetry: NO_RETRY_HERE, observer: { sealSlotTimeout: (ms) => timeouts.push(ms) } });
    for (let i = 0; i < 3; i++) await s.append([numbered(i)]); // two chunks rotate into seals that never finish
    const sealing = s.chunks().filter((m) => m.state === "sealing").map((m) => m.id);
    const refused = await s.append([numbered(3)]).then(() => undefined, (err: LogError) => err);
    expect({ code: refused?.code, namesBoth: sealing.every((id) => refused?.message.includes(id)), slot: refused?.message.includes("seal slot"), timeouts, sealing: sealing.length, records: contents(s) }).toEqual({
      code: "unavailable",
      namesBoth: true,
      slot: true,
      timeouts: [100],
      sealing: 2,
      records: expected(0, 3),
    });
    await sealer.close(); // the pending seals reject, their slots free, appends go on
    await s.append([numbered(3)]); // rotates into a new seal, on a fresh (and again hung) worker
    expect(contents(s)).toEqual(expected(0, 4));
    await sealer.close();
    await s.close();
  }, SLOW_DISK_MS);

  test("a seal job past the sealer's job timeout stops the hung worker: the chunks stay active data and waiting appends go on", async () => {
    using tmp = tempDir();
    const sealer = new WorkerSealer(HUNG_WORKER, { jobTimeoutMs: 200 });
    const failures: string[] = [];
    const s = await openFileStore(tmp.path, { sealer, rotation: { maxRecords: 1 }, sealRetry: NO_RETRY_HERE, observer: { sealFailed: (m) => failures.push(m) } });
    for (let i = 0; i < 4; i++) await s.append([numbered(i)]); // the fourth finds both slots busy unless a timeout already freed one
    await until(() => failures.length === 3, { what: "the three seals (the last on a fresh, again hung worker) to time out" });
    expect({ records: contents(s), states: s.chunks().map((m) => m.state), failures: failures.map((m) => m.includes("still running after 200 ms")) }).toEqual({
      records: expected(0, 4),
      states: ["sealing", "sealing", "sealing", "active"],
      failures: [true, true, true],
    });
    await s.close();
    await sealer.close();
  }, SLOW_DISK_MS);

  test("a worker that cannot load rejects the seal and keeps the chunk readable as active data", async () => {
    using tmp = tempDir();
    const sealer = new WorkerSealer(new URL("./no-such-worker.ts", import.meta.url).href);
    const s = await openFileStore(tmp.path, { sealer });
    const [ref] = await s.append([numbered(0), numbered(1)]);
    await expect(s.seal()).rejects.toMatchObject({ code: "internal" });
    expect({ state: s.chunk(ref!.chunk)?.state, records: contents(s) }).toEqual({ state: "sealing", records: expected(0, 2) });
    await s.close();
    await sealer.close();
  });
});

/** Seals inline once `open()` is called; tells when a seal job arrived. */
class GatedSealer implements Sealer {
  private readonly gate = Promise.withResolvers<void>();
  readonly jobs: SealJob[] = [];
  private readonly arrived = Promise.withResolvers<void>();
  private readonly inner = new InlineSealer();

  async seal(job: SealJob) {
    this.jobs.push(job);
    this.arrived.resolve();
    await this.gate.promise;
    return this.inner.seal(job);
  }

  started(): Promise<void> {
    return this.arrived.promise;
  }

  open(): void {
    this.gate.resolve();
  }

  async close(): Promise<void> {}
}

describe("readers of a chunk being sealed (its entries leave memory and are read back on demand)", () => {
  test("readers opened before and during the seal read every record, also after the seal removed the files", async () => {
    using tmp = tempDir();
    const sealer = new GatedSealer();
    const s = await openFileStore(tmp.path, { sealer });
    const [ref] = await s.append(Array.from({ length: 300 }, (_, i) => numbered(i)));
    const before = s.open(ref!.chunk);
    const sealed = s.seal();
    await sealer.started();
    const during = s.open(ref!.chunk);
    const duringRead = readAll(during).map(({ writeTs: _, ...r }) => r);
    sealer.open();
    await sealed;
    await s.idle();
    const rows = (r: ReturnType<typeof s.open>) => readAll(r).map(({ writeTs: _, ...x }) => x);
    expect({ before: rows(before), during: rows(during), duringRead, afterward: contents(s), lowerBound: before.lowerBoundWriteTs(0) }).toEqual({
      before: expected(0, 300),
      during: expected(0, 300),
      duringRead: expected(0, 300),
      afterward: expected(0, 300),
      lowerBound: 0,
    });
    before.close();
    during.close();
    await s.close();
  });

  test("with no reader open, a sealing chunk's entries are read from its file when a reader opens", async () => {
    using tmp = tempDir();
    const sealer = new GatedSealer();
    const s = await openFileStore(tmp.path, { sealer });
    const [ref] = await s.append(Array.from({ length: 10 }, (_, i) => numbered(i)));
    const sealed = s.seal();
    await sealer.started();
    // Cut the entries file short: only a reader that reads it (not memory) can notice.
    truncateSync(join(sealer.jobs[0]!.activeDir, ENTRIES_FILE), HEADER_BYTES);
    let error: unknown;
    try {
      s.open(ref!.chunk);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ name: "CorruptError" });
    sealed.catch(() => {});
    sealer.open();
    await s.idle();
    await s.close();
  });
});
