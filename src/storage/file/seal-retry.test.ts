/**
 * Seals that fail while the file store runs are retried with backoff (seal-retry.ts): the chunk
 * ends sealed with the same records, close during a backoff stops the retry, and a chunk that
 * keeps failing neither blocks appends nor takes more than the seal slots appends leave free.
 * Real files under a temp dir; the sealer fails on purpose before sealing inline.
 */

import { describe, expect, test } from "bun:test";
import { until } from "../../../test/support/until.ts";
import { MAX_PENDING_SEALS } from "./file-store.ts";
import { openFileStore } from "./open-store.ts";
import { InlineSealer } from "./sealer.ts";
import { contents, expected, FlakySealer, numbered, tempDir } from "./test-helpers.ts";

describe("seal retries while the store runs", () => {
  test("a chunk whose seal fails three times is retried with backoff and ends sealed with the same records", async () => {
    using tmp = tempDir();
    const sealer = new FlakySealer(3);
    const logs: string[] = [];
    const s = await openFileStore(tmp.path, { sealer, sealRetry: { firstMs: 10, maxMs: 40 }, logger: (_l, m) => logs.push(m) });
    const [ref] = await s.append(Array.from({ length: 200 }, (_, i) => numbered(i)));
    await expect(s.seal()).rejects.toThrow("ENOSPC");
    const waiting = s.sealRetries();
    await until(() => s.chunk(ref!.chunk)?.state === "sealed", { what: "the retried seal to succeed" });
    const failed = logs.filter((m) => m.includes("failed"));
    expect({
      waiting: waiting.map((w) => [w.chunk, w.failures]),
      attempts: sealer.attempts.get(ref!.chunk),
      failed: failed.map((m) => /failure (\d), retried at \d{4}-\d\d-\d\dT/.exec(m)?.[1]),
      records: contents(s),
      left: s.sealRetries(),
    }).toEqual({ waiting: [[ref!.chunk, 1]], attempts: 4, failed: ["1", "2", "3"], records: expected(0, 200), left: [] });
    await s.close();
  });

  test("close during a backoff stops the retry: no attempt after close; the next open seals the chunk", async () => {
    using tmp = tempDir();
    using other = tempDir();
    const sealer = new FlakySealer(Infinity);
    const policy = { sealer, sealRetry: { firstMs: 50, maxMs: 50 } };
    const s = await openFileStore(tmp.path, policy);
    const [ref] = await s.append([numbered(0), numbered(1)]);
    await expect(s.seal()).rejects.toThrow("ENOSPC");
    expect(s.sealRetries().length).toBe(1);
    await s.close();
    expect(s.sealRetries()).toEqual([]);
    // A second store fails later with the same backoff: once its retry ran, the closed
    // store's (due earlier) would have run too.
    const witness = await openFileStore(other.path, policy);
    const [w] = await witness.append([numbered(2)]);
    await expect(witness.seal()).rejects.toThrow("ENOSPC");
    await until(() => sealer.attempts.get(w!.chunk) === 2, { what: "the witness store's retry" });
    await witness.close();
    expect(sealer.attempts.get(ref!.chunk)).toBe(1);
    const reopened = await openFileStore(tmp.path, { sealer: new InlineSealer() });
    await reopened.idle();
    expect({ state: reopened.chunk(ref!.chunk)?.state, records: contents(reopened) }).toEqual({ state: "sealed", records: expected(0, 2) });
    await reopened.close();
  });

  test("chunks that keep failing do not block ingest and retries take no seal slot appends need", async () => {
    using tmp = tempDir();
    const sealer = new FlakySealer(Infinity);
    const s = await openFileStore(tmp.path, { sealer, rotation: { maxRecords: 1 }, sealRetry: { firstMs: 1, maxMs: 4 } });
    const n = 8;
    for (let i = 0; i < n; i++) await s.append([numbered(i)]); // every append rotates the last chunk into a failing seal
    await until(() => s.sealRetries().length === n - 1 && [...sealer.attempts.values()].some((a) => a >= 3), { what: "retries of the failing chunks" });
    expect({ records: contents(s), maxRunning: sealer.maxRunning <= MAX_PENDING_SEALS, states: s.chunks().map((m) => m.state) }).toEqual({
      records: expected(0, n),
      maxRunning: true,
      states: [...Array(n - 1).fill("sealing"), "active"],
    });
    await s.close();
  }, 30_000);
});
