/**
 * RetentionRunner on memory stores: TTL and size retention with counters and logs, sweeps after
 * seals and on the interval, policy changes. Searches racing deletions on a file store are in
 * test/store-policies.test.ts (they cross into the query engine).
 */

import { describe, expect, test } from "bun:test";
import { createMemoryStore } from "../memory/memory-store.ts";
import { RetentionRunner } from "./runner.ts";
import { fill, H, manualClock } from "./test-support.ts";



describe("RetentionRunner", () => {
  test("TTL deletes chunks by last write time; counters and logs say what went", async () => {
    const clock = manualClock();
    const store = createMemoryStore("m", { clock: clock.now });
    await fill(store, 5, 3, clock.setHour);
    const logs: string[] = [];
    const runner = new RetentionRunner([{ name: "m", store, policy: { maxAgeMicros: 2 * H + 1, maxBytes: 0, maxChunks: 0 } }], { clock: clock.now, logger: (lvl, m) => logs.push(`${lvl} ${m}`) });
    const before = store.chunks();
    const ids = before.map((c) => c.id);
    clock.setHour(5);
    const r = await runner.sweepNow();
    expect(r).toEqual({ stores: ["m"], deleted: before.slice(0, 3).map((c) => ({ store: "m", id: c.id, reason: "age", storedBytes: c.storedBytes })), errors: [] });
    expect(store.chunks().map((c) => c.id)).toEqual(ids.slice(3));
    expect(runner.stats()).toEqual({ sweeps: 1, deleted: { age: 3, chunks: 0, bytes: 0 }, bytesFreed: r.deleted.reduce((n, d) => n + d.storedBytes, 0), errors: 0, lastSweepAt: clock.now() });
    expect(logs).toEqual(r.deleted.map((d) => `info retention: store m: deleted chunk ${d.id} (age, ${d.storedBytes} bytes)`));
    expect((await runner.sweepNow()).deleted).toEqual([]);
  });

  test("size retention keeps the newest bytes; setTargets changes the policy for the next sweep", async () => {
    const clock = manualClock();
    const store = createMemoryStore("m", { clock: clock.now });
    await fill(store, 6, 4, clock.setHour);
    const sizes = store.chunks().map((c) => c.storedBytes);
    const budget = sizes[5]! + sizes[4]! + sizes[3]!;
    const runner = new RetentionRunner([{ name: "m", store, policy: { maxAgeMicros: 0, maxBytes: budget, maxChunks: 0 } }], { clock: clock.now });
    expect((await runner.sweepNow()).deleted.map((d) => d.reason)).toEqual(["bytes", "bytes", "bytes"]);
    expect(store.chunks()).toHaveLength(3);
    runner.setTargets([{ name: "m", store, policy: { maxAgeMicros: 0, maxBytes: 0, maxChunks: 1 } }]);
    expect((await runner.sweepNow()).deleted.map((d) => d.reason)).toEqual(["chunks", "chunks"]);
    expect(() => runner.setTargets([{ name: "m", store, policy: { maxAgeMicros: -1, maxBytes: 0, maxChunks: 0 } }])).toThrow("retention policy of store m must be finite numbers >= 0");
  });

  test("after start(), seals and the interval trigger sweeps; stop() ends them", async () => {
    const clock = manualClock();
    const store = createMemoryStore("m", { clock: clock.now });
    let deletions = 0;
    let waiter: { n: number; resolve: () => void } | undefined;
    const runner = new RetentionRunner([{ name: "m", store, policy: { maxAgeMicros: 0, maxBytes: 0, maxChunks: 2 } }], {
      clock: clock.now,
      intervalMs: 10,
      logger: () => {
        deletions++;
        if (waiter && deletions >= waiter.n) waiter.resolve();
      },
    });
    const reach = (n: number) => new Promise<void>((resolve) => (deletions >= n ? resolve() : (waiter = { n, resolve })));
    runner.start();
    await fill(store, 4, 2, clock.setHour);
    await reach(2);
    expect(store.chunks()).toHaveLength(2);
    await runner.stop();
    await fill(store, 2, 2, clock.setHour);
    expect(store.chunks()).toHaveLength(4);
    expect(runner.stats().deleted.chunks).toBe(2);
  });
});
