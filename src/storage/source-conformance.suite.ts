/**
 * The ChunkSource conformance suite: the read side every source shares — memory and file
 * stores (run from conformance.suite.ts) and the read-only text file store — exercised only
 * through ChunkSource/ChunkView, awaiting every read as a remote tier would need. A harness
 * loads lines into a fresh source and says which records it must then hold.
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { LogRecord } from "../core/record.ts";
import type { ChunkSource, ChunkView } from "./types.ts";

/** A source holding some lines, and the records it must return for them, in order. */
export interface LoadedSource {
  source: ChunkSource;
  expected: LogRecord[];
}

export interface SourceHarness {
  /**
   * A fresh source holding `lines` (one record each, in order) spread over several chunks whose
   * blocks are small, so ranges cross blocks.
   */
  load(lines: readonly string[]): Promise<LoadedSource>;
  cleanup(): Promise<void>;
}

/** Records [from, to) of `v` via batches, awaited; checks batches are contiguous. */
async function readRange(v: ChunkView, from: number, to: number): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  let next = from;
  for await (const b of v.batches(from, to)) {
    if (b.first !== next) throw new Error(`batch starts at ${b.first}, expected ${next}`);
    for (let i = 0; i < b.count; i++) {
      out.push({ raw: b.data.slice(b.rawOffsets[i]!, b.rawOffsets[i + 1]!), attrs: { ...b.attrs(i) }, sourceTs: b.sourceTs[i]!, ingestTs: b.ingestTs[i]!, writeTs: b.writeTs[i]! });
    }
    next += b.count;
  }
  return out;
}

const plain = (r: LogRecord): LogRecord => ({ raw: new Uint8Array(r.raw), attrs: { ...r.attrs }, sourceTs: r.sourceTs, ingestTs: r.ingestTs, writeTs: r.writeTs });

/** Lines of varied lengths (some empty, some non-ASCII), enough for several chunks and blocks. */
function sampleLines(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i % 17 === 0 ? "" : `${i} ${"x".repeat((i * 37) % 120)}${i % 5 === 0 ? " grüße ✓" : ""}`));
}

/** Registers the read-side suite for one kind of source. */
export function chunkSourceConformance(kind: string, makeHarness: () => Promise<SourceHarness>): void {
  describe(`ChunkSource conformance: ${kind}`, () => {
    let harness: SourceHarness | undefined;
    const load = async (lines: readonly string[]) => {
      harness = await makeHarness();
      return harness.load(lines);
    };
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
    });

    test("chunks are listed oldest first; their metas count what they hold", async () => {
      const { source, expected } = await load(sampleLines(300));
      const metas = source.chunks();
      expect(metas.length).toBeGreaterThan(1);
      expect(metas.map((m) => m.id)).toEqual([...metas.map((m) => m.id)].sort());
      expect(metas.map((m) => source.chunk(m.id))).toEqual(metas);
      const views = await Promise.all(metas.map((m) => source.open(m.id)));
      expect(views.map((v) => [v.meta.id, v.count()])).toEqual(metas.map((m) => [m.id, m.records]));
      expect(metas.reduce((n, m) => n + m.records, 0)).toBe(expected.length);
      expect(metas.reduce((n, m) => n + m.rawBytes, 0)).toBe(expected.reduce((n, r) => n + r.raw.length, 0));
      for (const v of views) v.close();
    });

    test("every record reads back exactly, by batches and by position", async () => {
      const { source, expected } = await load(sampleLines(300));
      const byBatch: LogRecord[] = [];
      const byPos: LogRecord[] = [];
      for (const m of source.chunks()) {
        const v = await source.open(m.id);
        byBatch.push(...(await readRange(v, 0, v.count())));
        for (let p = 0; p < v.count(); p++) byPos.push(plain(await v.record(p)));
        v.close();
      }
      expect(byBatch).toEqual(expected);
      expect(byPos).toEqual(expected);
    });

    test("batches over any range return exactly that range; blocks tile the chunk", async () => {
      const { source } = await load(sampleLines(600));
      const m = [...source.chunks()].sort((a, b) => b.records - a.records)[0]!;
      const v = await source.open(m.id);
      const n = v.count();
      const all = await readRange(v, 0, n);
      const ranges: [number, number][] = [[0, n], [0, 0], [1, n - 1], [n >> 1, (n >> 1) + 1], [7, n - 3], [n - 1, n], [n, n]];
      expect(await Promise.all(ranges.map(([a, b]) => readRange(v, a, b)))).toEqual(ranges.map(([a, b]) => all.slice(a, b)));
      const blocks = v.blocks();
      const tiles = blocks.every((b, i) => b.first === (i === 0 ? 0 : blocks[i - 1]!.first + blocks[i - 1]!.count));
      expect({ tiles, covered: blocks.reduce((k, b) => k + b.count, 0) }).toEqual({ tiles: true, covered: n });
      v.close();
    });

    test("reads outside a chunk are refused; an unknown chunk is not found", async () => {
      const { source } = await load(sampleLines(40));
      const v = await source.open(source.chunks()[0]!.id);
      const n = v.count();
      const refused = async (read: () => unknown) => {
        try {
          const r = await read();
          if (r !== null && typeof r === "object" && Symbol.asyncIterator in r) for await (const _ of r as AsyncIterable<unknown>);
          else if (r !== null && typeof r === "object" && Symbol.iterator in r) for (const _ of r as Iterable<unknown>);
          return "read";
        } catch (err) {
          return (err as { code?: string }).code ?? String(err);
        }
      };
      expect(await Promise.all([refused(() => v.batches(-1, 1)), refused(() => v.batches(0, n + 1)), refused(() => v.batches(2, 1)), refused(() => v.record(n))])).toEqual(["invalid_argument", "invalid_argument", "invalid_argument", "invalid_argument"]);
      expect(await refused(() => source.open("01900000-0000-7000-8000-000000000000"))).toBe("not_found");
      v.close();
    });

    test("an absent section has no size and reading it is not_found", async () => {
      const { source } = await load(sampleLines(40));
      const v = await source.open(source.chunks()[0]!.id);
      expect(v.sectionSize("no.such.section")).toBeUndefined();
      await expect(Promise.resolve().then(() => v.readSection("no.such.section", 0, 1))).rejects.toMatchObject({ code: "not_found" });
      v.close();
    });

    test("each chunk's event-time range covers its records", async () => {
      const { source } = await load(sampleLines(300));
      for (const m of source.chunks()) {
        const v = await source.open(m.id);
        const times = (await readRange(v, 0, v.count())).map((r) => (r.sourceTs !== 0 ? r.sourceTs : r.ingestTs));
        expect(times.every((t) => t >= v.meta.eventTs.min && t <= v.meta.eventTs.max)).toBe(true);
        v.close();
      }
    });
  });
}
