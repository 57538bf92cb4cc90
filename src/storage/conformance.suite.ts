/**
 * The one ChunkStore conformance suite (hono-style): every store implementation runs it via a
 * StoreHarness (memory.test.ts, file.test.ts). This file holds the harness contract, helpers
 * and the read-path tests (append, seal, bidirectional cursors, seeks, batches); lifecycle tests
 * (rotation, reopen, delete, events, concurrency) live in conformance-lifecycle.suite.ts, and
 * every store also runs the read-side ChunkSource suite (source-conformance.suite.ts).
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { ChunkId } from "../core/ids.ts";
import type { LogRecord, RecordInput } from "../core/record.ts";
import type { Clock } from "../core/time.ts";
import { lifecycleConformance } from "./conformance-lifecycle.suite.ts";
import { chunkSourceConformance, type SourceHarness } from "./source-conformance.suite.ts";
import type { ChunkReader, ChunkStore, RotationPolicy, SectionBuilderFactory } from "./types.ts";

/** Store options every harness must honour. */
export interface ConformanceOptions {
  rotation?: Partial<RotationPolicy>;
  clock?: Clock;
  sectionBuilders?: SectionBuilderFactory;
  /** Raw bytes per sealed block, small in tests so ranges cross blocks. */
  blockRawBytes?: number;
}

/** A store under test that also exposes the age sweep. */
export type TestStore = ChunkStore & { sweep(): Promise<ChunkId | undefined> };

/** How the suite opens and disposes stores of one implementation. */
export interface StoreHarness {
  /** Opens a fresh, empty store (each call a new one). */
  open(o: ConformanceOptions): Promise<TestStore>;
  /** Closes `store` and opens it again; only for persistent stores. */
  reopen?(store: TestStore, o: ConformanceOptions): Promise<TestStore>;
  cleanup(): Promise<void>;
}

/** A settable test clock (epoch µs). */
export interface FakeClock {
  clock: Clock;
  set(t: number): void;
}

/** A clock that stays at `start` until set. */
export function fakeClock(start: number): FakeClock {
  let now = start;
  return { clock: () => now, set: (t) => void (now = t) };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A record input with text payload. */
export function rec(text: string, attrs: Record<string, string> = {}, ingestTs = 1000, sourceTs = 0): RecordInput {
  return { raw: enc.encode(text), attrs, ingestTs, sourceTs };
}

/** The record a store should return for `input` appended at `writeTs`. */
export function stored(input: RecordInput, writeTs: number): LogRecord {
  return { raw: new Uint8Array(input.raw), attrs: { ...input.attrs }, sourceTs: input.sourceTs, ingestTs: input.ingestTs, writeTs };
}

/** Normalises a record for whole-object comparison (copies the payload view). */
export function plain(r: LogRecord): LogRecord {
  return { raw: new Uint8Array(r.raw), attrs: { ...r.attrs }, sourceTs: r.sourceTs, ingestTs: r.ingestTs, writeTs: r.writeTs };
}

/** Every record of a reader via batches(0, count). */
export function readAll(r: ChunkReader, from = 0, to = r.count()): LogRecord[] {
  const out: LogRecord[] = [];
  let expectFirst = from;
  for (const b of r.batches(from, to)) {
    if (b.first !== expectFirst) throw new Error(`batch first ${b.first}, expected ${expectFirst}`);
    for (let i = 0; i < b.count; i++) {
      out.push({
        raw: b.data.slice(b.rawOffsets[i]!, b.rawOffsets[i + 1]!),
        attrs: { ...b.attrs(i) },
        sourceTs: b.sourceTs[i]!,
        ingestTs: b.ingestTs[i]!,
        writeTs: b.writeTs[i]!,
      });
    }
    expectFirst += b.count;
  }
  return out;
}

/** Every record of the store, chunk by chunk (oldest first). */
export function storeRecords(s: ChunkStore): LogRecord[] {
  const out: LogRecord[] = [];
  for (const m of s.chunks()) {
    const r = s.open(m.id);
    out.push(...readAll(r));
    r.close();
  }
  return out;
}

const text = (r: LogRecord | undefined) => (r === undefined ? undefined : dec.decode(r.raw));

/** Registers the whole suite for one implementation; `persistent` adds the reopen tests. */
export function chunkStoreConformance(kind: string, makeHarness: () => Promise<StoreHarness>, persistent: boolean): void {
  describe(`ChunkStore conformance: ${kind}`, () => {
    let harness: StoreHarness | undefined;
    const setup = async (o: ConformanceOptions = {}) => {
      harness = await makeHarness();
      return harness.open(o);
    };
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
    });
    const h = () => harness!;

    test("append returns positions and reads back every record exactly", async () => {
      const t = fakeClock(5_000_000);
      const s = await setup({ clock: t.clock });
      const inputs: RecordInput[] = [
        rec("plain line", { host: "h1", env: "dev" }, 4_000_000, 3_999_000),
        { raw: new Uint8Array([0, 255, 10, 0, 13]), attrs: {}, ingestTs: 4_000_001, sourceTs: 0 },
        { raw: new Uint8Array(0), attrs: { "ключ": "значение ✓", "": "" }, ingestTs: 4_000_002, sourceTs: 0 },
        rec("x".repeat(70_000), { big: "v".repeat(3000) }, 4_000_003, 4_100_000),
      ];
      const refs = await s.append(inputs);
      const id = refs[0]!.chunk;
      expect(refs).toEqual(inputs.map((_, pos) => ({ chunk: id, pos })));
      const r = s.open(id);
      const want = inputs.map((i) => stored(i, 5_000_000));
      expect(r.count()).toBe(4);
      expect(readAll(r)).toEqual(want);
      expect([0, 1, 2, 3].map((p) => plain(r.record(p)))).toEqual(want);
      expect(r.meta).toEqual({
        id,
        store: s.name,
        state: "active",
        records: 4,
        rawBytes: 10 + 5 + 70_000,
        storedBytes: expect.any(Number),
        createdAt: 5_000_000,
        writeTs: { min: 5_000_000, max: 5_000_000 },
        ingestTs: { min: 4_000_000, max: 4_000_003 },
        eventTs: { min: 3_999_000, max: 4_100_000 },
        codec: "",
        indexStatus: "none",
        indexBytes: 0,
      });
      r.close();
    });

    test("writeTs is the store clock and never decreases within a chunk", async () => {
      const t = fakeClock(2_000);
      const s = await setup({ clock: t.clock });
      await s.append([rec("a")]);
      t.set(1_000);
      await s.append([rec("b")]);
      t.set(3_000);
      await s.append([rec("c")]);
      expect(storeRecords(s).map((r) => r.writeTs)).toEqual([2_000, 2_000, 3_000]);
    });

    test("appends with bad timestamps are rejected whole", async () => {
      const s = await setup();
      const bad: RecordInput[][] = [[rec("ok"), rec("x", {}, -1)], [rec("x", {}, 1.5)], [rec("x", {}, 5, Number.NaN)]];
      for (const b of bad) await expect(s.append(b)).rejects.toMatchObject({ code: "invalid_argument" });
      expect(s.chunks()).toEqual([]);
    });

    test("seal freezes the chunk; reads are identical; the next append opens a new chunk", async () => {
      const t = fakeClock(10_000);
      const s = await setup({ clock: t.clock });
      const inputs = Array.from({ length: 50 }, (_, i) => rec(`line ${i}`, { i: String(i % 3) }, 9_000 + i));
      const [first] = await s.append(inputs);
      const id = first!.chunk;
      expect(await s.seal()).toBe(id);
      const meta = s.chunk(id)!;
      expect(meta).toEqual({
        id,
        store: s.name,
        state: "sealed",
        records: 50,
        rawBytes: inputs.reduce((n, i) => n + i.raw.length, 0),
        storedBytes: expect.any(Number),
        createdAt: 10_000,
        writeTs: { min: 10_000, max: 10_000 },
        ingestTs: { min: 9_000, max: 9_049 },
        eventTs: { min: 9_000, max: 9_049 },
        codec: expect.stringMatching(/^(none|zstd)$/),
        indexStatus: "none",
        indexBytes: 0,
      });
      const r = s.open(id);
      expect(readAll(r)).toEqual(inputs.map((i) => stored(i, 10_000)));
      expect(plain(r.record(49))).toEqual(stored(inputs[49]!, 10_000));
      r.close();
      const [next] = await s.append([rec("after")]);
      expect(next!.chunk > id).toBe(true);
      expect(s.chunks().map((c) => [c.id, c.state])).toEqual([
        [id, "sealed"],
        [next!.chunk, "active"],
      ]);
    });

    test("seal with no active chunk is a no-op", async () => {
      const s = await setup();
      expect(await s.seal()).toBeUndefined();
      expect(s.chunks()).toEqual([]);
    });

    test("section builders run at seal and their sections are readable", async () => {
      const builders: SectionBuilderFactory = () => {
        let n = 0;
        return [{ name: "count", add: (b) => void (n += b.count), finish: () => ({ bytes: new Uint8Array([n]), status: "complete" }) }];
      };
      const s = await setup({ sectionBuilders: builders });
      const [ref] = await s.append(Array.from({ length: 7 }, (_, i) => rec(`r${i}`)));
      await s.seal();
      const r = s.open(ref!.chunk);
      const absentRead = (() => { try { return r.readSection("absent", 0, 1); } catch (e) { return (e as { code: string }).code; } })();
      const outside = (() => { try { return r.readSection("count", 1, 1); } catch (e) { return (e as { code: string }).code; } })();
      expect([r.sectionSize("count"), r.readSection("count", 0, 1), absentRead, outside, r.sectionSize("absent"), r.meta.indexStatus, r.meta.indexBytes]).toEqual([
        1,
        new Uint8Array([7]),
        "not_found",
        "invalid_argument",
        undefined,
        "complete",
        1,
      ]);
      expect([r.sectionSize("count"), r.readSection("count", 0, 1), r.readSection("count", 1, 0)]).toEqual([1, new Uint8Array([7]), new Uint8Array(0)]);
      expect(() => r.readSection("count", 0, 2)).toThrow(expect.objectContaining({ code: "invalid_argument" }));
      r.close();
    });

    const cursorCases: { name: string; ops: string[]; want: (string | undefined)[] }[] = [
      { name: "fresh next", ops: ["n", "n", "n", "n", "n", "n"], want: ["r0", "r1", "r2", "r3", "r4", undefined] },
      { name: "fresh prev", ops: ["p", "p", "p", "p", "p", "p"], want: ["r4", "r3", "r2", "r1", "r0", undefined] },
      { name: "seek 2 then both ways", ops: ["s2", "n", "n", "p", "p", "p"], want: ["r2", "r3", "r1", "r0", undefined] },
      { name: "seek 0 prev is end", ops: ["s0", "p", "n"], want: [undefined, "r0"] },
      { name: "seek count next is end", ops: ["s5", "n", "p"], want: [undefined, "r4"] },
      { name: "seek past end clamps prev", ops: ["s9", "n", "p"], want: [undefined, "r4"] },
      { name: "independent indexes", ops: ["n", "n", "p", "n"], want: ["r0", "r1", "r4", "r2"] },
    ];
    for (const sealed of [false, true]) {
      test(`cursor: seek(p) then next() gives p, prev() gives p-1 (${sealed ? "sealed" : "active"})`, async () => {
        const s = await setup();
        const [ref] = await s.append(Array.from({ length: 5 }, (_, i) => rec(`r${i}`)));
        if (sealed) await s.seal();
        const r = s.open(ref!.chunk);
        const got = cursorCases.map((c) => {
          const cur = r.cursor();
          const out: (string | undefined)[] = [];
          for (const op of c.ops) {
            if (op === "n") out.push(text(cur.next()));
            else if (op === "p") out.push(text(cur.prev()));
            else cur.seek(Number(op.slice(1)));
          }
          return { name: c.name, out };
        });
        expect(got).toEqual(cursorCases.map((c) => ({ name: c.name, out: c.want })));
        r.close();
      });
    }

    test("an active cursor sees later appends on next(); prev() starts at the count at open", async () => {
      const s = await setup();
      const [ref] = await s.append([rec("a"), rec("b")]);
      const r = s.open(ref!.chunk);
      const cur = r.cursor();
      const got = [text(cur.next()), text(cur.next()), text(cur.next())];
      await s.append([rec("c")]);
      got.push(text(cur.next()), text(cur.next()), text(cur.prev()));
      expect({ got, count: r.count() }).toEqual({ got: ["a", "b", undefined, "c", undefined, "b"], count: 3 });
      r.close();
    });

    for (const sealed of [false, true]) {
      test(`seek by writeTs binary-searches (${sealed ? "sealed" : "active"})`, async () => {
        const t = fakeClock(100);
        const s = await setup({ clock: t.clock });
        const [ref] = await s.append([rec("a"), rec("b")]);
        for (const [ts, raw] of [[200, "c"], [300, "d"], [300, "e"]] as const) {
          t.set(ts);
          await s.append([rec(raw)]);
        }
        if (sealed) await s.seal();
        const r = s.open(ref!.chunk);
        const cases = [0, 100, 101, 200, 250, 300, 301, 1e15];
        const want = [0, 0, 2, 2, 3, 3, 5, 5];
        expect(cases.map((ts) => r.lowerBoundWriteTs(ts))).toEqual(want);
        const cur = r.cursor();
        cur.seekTime(250);
        expect([text(cur.next()), text(cur.prev()), text(cur.prev())]).toEqual(["d", "c", "b"]);
        r.close();
      });
    }

    test("batches over ranges crossing blocks return exactly the range", async () => {
      const s = await setup({ blockRawBytes: 512 });
      const inputs = Array.from({ length: 300 }, (_, i) => rec(`${i}:`.padEnd(5 + ((i * 37) % 90), "z"), { k: String(i % 5) }, 1000 + i));
      const [ref] = await s.append(inputs);
      await s.seal();
      const r = s.open(ref!.chunk);
      const blocks = r.blocks();
      const tiles = blocks.every((b, i) => b.first === (i === 0 ? 0 : blocks[i - 1]!.first + blocks[i - 1]!.count));
      expect({ tiles, covered: blocks.reduce((n, b) => n + b.count, 0) }).toEqual({ tiles: true, covered: 300 });
      const all = readAll(r);
      const ranges: [number, number][] = [[0, 300], [0, 0], [1, 299], [100, 101], [37, 250], [299, 300], [150, 150]];
      expect(ranges.map(([a, b]) => readAll(r, a, b))).toEqual(ranges.map(([a, b]) => all.slice(a, b)));
      expect(all.map((x) => x.ingestTs)).toEqual(inputs.map((i) => i.ingestTs));
      r.close();
    });

    lifecycleConformance(setup, h, persistent);
  });
  chunkSourceConformance(kind, async () => appendedSource(await makeHarness()));
}

/** A SourceHarness over a store: lines appended across several chunks (the last one active). */
function appendedSource(h: StoreHarness): SourceHarness {
  return {
    async load(lines) {
      const s = await h.open({ clock: fakeClock(5_000_000).clock, rotation: { maxRecords: 120 }, blockRawBytes: 512 });
      const inputs = lines.map((l, i) => rec(l, { n: String(i % 3) }, 1_000 + i, i % 4 === 0 ? 0 : 500 + i));
      await s.append(inputs);
      await s.idle();
      return { source: s, expected: inputs.map((i) => stored(i, 5_000_000)) };
    },
    cleanup: () => h.cleanup(),
  };
}
