/**
 * Lifecycle half of the ChunkStore conformance suite: rotation by records/bytes/age (and the
 * age sweep), reopen, delete, events, appends racing seals, and a property test of
 * append/seal sequences. Registered by chunkStoreConformance in conformance.suite.ts.
 */

import { expect, test } from "bun:test";
import fc from "fast-check";
import { encodeAttrs } from "../core/attrs-codec.ts";
import type { RecordInput } from "../core/record.ts";
import type { ConformanceOptions, StoreHarness, TestStore } from "./conformance.suite.ts";
import { fakeClock, readAll, rec, stored, storeRecords } from "./conformance.suite.ts";
import { RECORD_OVERHEAD_BYTES } from "./rotation.ts";
import type { StoreEvent } from "./types.ts";

type Setup = (o?: ConformanceOptions) => Promise<TestStore>;

const shape = (s: TestStore) => s.chunks().map((c) => [c.state, c.records]);

/** Registers the lifecycle tests inside chunkStoreConformance's describe block. */
export function lifecycleConformance(setup: Setup, harness: () => StoreHarness, persistent: boolean): void {
  test("rotation by record count splits one append across chunks", async () => {
    const s = await setup({ rotation: { maxRecords: 3 } });
    const refs = await s.append(Array.from({ length: 7 }, (_, i) => rec(`r${i}`)));
    await s.idle();
    const ids = s.chunks().map((c) => c.id);
    expect(refs).toEqual([0, 0, 0, 1, 1, 1, 2].map((c, i) => ({ chunk: ids[c], pos: i % 3 })));
    expect(shape(s)).toEqual([["sealed", 3], ["sealed", 3], ["active", 1]]);
  });

  test("rotation by projected bytes; an oversized record gets its own chunk, no empty chunks", async () => {
    const size = 10 + 1 + RECORD_OVERHEAD_BYTES;
    const s = await setup({ rotation: { maxBytes: 3 * size } });
    await s.append(["aaaaaaaaaa", "bbbbbbbbbb", "x".repeat(500), "cccccccccc", "dddddddddd", "eeeeeeeeee", "ffffffffff"].map((t) => rec(t)));
    await s.idle();
    expect(shape(s)).toEqual([["sealed", 2], ["sealed", 1], ["sealed", 3], ["active", 1]]);
  });

  test("rotation by age at append and by sweep()", async () => {
    const t = fakeClock(1_000_000);
    const s = await setup({ clock: t.clock, rotation: { maxAgeMicros: 10_000 } });
    const steps: [number, string][] = [[1_000_000, "a"], [1_005_000, "b"], [1_010_000, "c"], [1_010_001, "d"]];
    for (const [ts, raw] of steps) {
      t.set(ts);
      await s.append([rec(raw)]);
    }
    expect(await s.sweep()).toBeUndefined();
    t.set(1_020_001);
    expect(await s.sweep()).toBeUndefined();
    t.set(1_020_002);
    const swept = await s.sweep();
    await s.idle();
    expect({ shape: shape(s), swept: swept === s.chunks()[1]!.id }).toEqual({ shape: [["sealed", 3], ["sealed", 1]], swept: true });
  });

  test.if(persistent)("reopen keeps every record and the active chunk stays active", async () => {
    const t = fakeClock(50_000);
    const o = { clock: t.clock };
    let s = await setup(o);
    const h = harness();
    const a = Array.from({ length: 5 }, (_, i) => rec(`sealed ${i}`, { n: String(i) }, 40_000 + i, 30_000));
    const b = Array.from({ length: 3 }, (_, i) => rec(`active ${i}`, {}, 41_000 + i));
    await s.append(a);
    await s.seal();
    const [ref] = await s.append(b);
    const before = s.chunks();
    s = await h.reopen!(s, o);
    expect(s.chunks()).toEqual(before);
    expect(storeRecords(s)).toEqual([...a, ...b].map((i) => stored(i, 50_000)));
    const [next] = await s.append([rec("later")]);
    expect(next).toEqual({ chunk: ref!.chunk, pos: 3 });
    expect(s.chunk(ref!.chunk)!.state).toBe("active");
  });

  test("delete removes a sealed chunk; open readers keep working", async () => {
    const s = await setup();
    const [old] = await s.append([rec("old 1"), rec("old 2")]);
    await s.seal();
    const [cur] = await s.append([rec("current")]);
    const r = s.open(old!.chunk);
    await s.delete(old!.chunk);
    expect(s.chunks().map((c) => c.id)).toEqual([cur!.chunk]);
    expect(() => s.open(old!.chunk)).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(readAll(r).map((x) => new TextDecoder().decode(x.raw))).toEqual(["old 1", "old 2"]);
    r.close();
    await expect(s.delete(cur!.chunk)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(s.delete(old!.chunk)).rejects.toMatchObject({ code: "not_found" });
  });

  test("subscribe reports appends, seals and deletes until unsubscribed", async () => {
    const s = await setup();
    const events: StoreEvent[] = [];
    const off = s.subscribe((e) => events.push(e));
    const [ref] = await s.append([rec("a"), rec("b")]);
    await s.append([rec("c")]);
    await s.seal();
    await s.delete(ref!.chunk);
    off();
    await s.append([rec("d")]);
    const id = ref!.chunk;
    expect(events).toEqual([
      { kind: "appended", chunk: id, count: 2 },
      { kind: "appended", chunk: id, count: 3 },
      { kind: "sealed", chunk: id },
      { kind: "deleted", chunk: id },
    ]);
  });

  test("appends continue while a chunk seals", async () => {
    const s = await setup({ rotation: { maxRecords: 10 } });
    const inputs = Array.from({ length: 20 }, (_, j) => Array.from({ length: 7 }, (_, i) => rec(`b${j} r${i}`, { j: String(j) })));
    const first = await s.append(inputs[0]!);
    const sealing = s.seal();
    const rest = await Promise.all(inputs.slice(1).map((b) => s.append(b)));
    expect(await sealing).toBe(first[0]!.chunk);
    await s.idle();
    const refs = [first, ...rest].flat().map((r) => `${r.chunk}/${r.pos}`);
    expect(new Set(refs).size).toBe(140);
    expect(storeRecords(s).map((r) => new TextDecoder().decode(r.raw))).toEqual(inputs.flat().map((r) => new TextDecoder().decode(r.raw)));
    const states = s.chunks().map((c) => c.state);
    expect(states.slice(0, -1).every((st) => st === "sealed") && states.at(-1) === "active").toBe(true);
    expect(s.chunks().every((c) => c.records <= 10)).toBe(true);
  });

  test("a closed store rejects appends", async () => {
    const s = await setup();
    await s.close();
    await expect(s.append([rec("late")])).rejects.toMatchObject({ code: "unavailable" });
  });

  test("property: any append/seal sequence reads back in order within rotation limits", async () => {
    const pool: Record<string, string>[] = [{}, { host: "a" }, { host: "b", level: "error" }];
    const record = fc.record({
      raw: fc.uint8Array({ maxLength: 60 }),
      attrs: fc.constantFrom(...pool),
      ingestTs: fc.integer({ min: 1, max: 2 ** 40 }),
      sourceTs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
    });
    const op = fc.oneof(fc.array(record, { maxLength: 12 }), fc.constant("seal" as const));
    const policy = fc.record({ maxRecords: fc.integer({ min: 0, max: 6 }), maxBytes: fc.oneof(fc.constant(0), fc.integer({ min: 60, max: 300 })) });
    await (await setup()).close();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 8 }), policy, async (ops, rotation) => {
        const s = await harness().open({ rotation });
        const all: RecordInput[] = [];
        for (const o of ops) {
          if (o === "seal") await s.seal();
          else {
            await s.append(o);
            all.push(...o);
          }
        }
        await s.idle();
        const got = storeRecords(s).map(({ writeTs: _, ...r }) => r);
        expect(got).toEqual(all.map((r) => ({ ...stored(r, 0), writeTs: undefined })).map(({ writeTs: _, ...r }) => r));
        for (const c of s.chunks()) {
          const r = s.open(c.id);
          const recs = readAll(r);
          r.close();
          const bytes = recs.reduce((n, x) => n + x.raw.length + encodeAttrs(x.attrs).length + RECORD_OVERHEAD_BYTES, 0);
          if (rotation.maxRecords > 0) expect(c.records).toBeLessThanOrEqual(rotation.maxRecords);
          if (rotation.maxBytes > 0 && c.records > 1) expect(bytes).toBeLessThanOrEqual(rotation.maxBytes);
          expect(c.records).toBeGreaterThan(0);
        }
        await s.close();
      }),
      { numRuns: 15 },
    );
  });
}
