/** The version-2 term section: round trips at every block size, encoder limits, and damage. */

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ByteWriter } from "../core/bytes/growable.ts";
import { LogError } from "../core/errors.ts";
import { ByteCache } from "../storage/byte-cache.ts";
import { indexSectionBuilders } from "./builders.ts";
import { HEADER_SIZE, TERM_STATUSES } from "./format.ts";
import { blockAt, decodeHead, encodeHead } from "./head.ts";
import { runBuilders, sectionReader, termPositions, testScope } from "./index-test-support.ts";
import { openChunkIndexes } from "./open.ts";
import { encodePostings } from "./postings.ts";
import { indexSizeReport } from "./reports.ts";
import { bytesSection, type ReadStats } from "./section-context.ts";
import { openTermSection } from "./section.ts";
import { encodeTermSection, type TermIndexInput } from "./term-writer.ts";

const encoder = new TextEncoder();

/** Encodes a term -> positions map (terms any strings) as one index input. */
function input(name: string, entries: [string, number[]][]): TermIndexInput {
  const sorted = entries.map(([t, p]) => [encoder.encode(t), p] as const).sort((a, b) => Buffer.compare(a[0], b[0]));
  const tw = new ByteWriter();
  const pw = new ByteWriter();
  const termEnds = new Uint32Array(sorted.length);
  const postingEnds = new Uint32Array(sorted.length);
  sorted.forEach(([t, p], i) => {
    tw.bytes(t);
    termEnds[i] = tw.length;
    encodePostings(p, pw);
    postingEnds[i] = pw.length;
  });
  return { name, count: sorted.length, terms: tw.finish(), termEnds, postings: pw.finish(), postingEnds };
}

function open(bytes: Uint8Array, stats: ReadStats = { bytes: 0, reads: 0 }) {
  return openTermSection({ source: bytesSection(bytes), cache: new ByteCache(), key: "s#", stats });
}

/** Short lists stay inline, long ones (over 48 encoded bytes) go to the lists area. */
const positionsArb = fc.oneof(
  fc.uniqueArray(fc.nat(5000), { minLength: 1, maxLength: 30 }),
  fc.uniqueArray(fc.nat(200_000), { minLength: 40, maxLength: 400 }),
).map((a) => a.sort((x, y) => x - y));
const termMapArb = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 20, unit: "binary" }), positionsArb), { maxLength: 40, selector: (e) => e[0] });
const nameArb = fc.stringMatching(/^[a-z][a-z0-9.]{0,31}$/);

describe("term section format", () => {
  test("round trip at any block size: every term found with its positions, others absent, counts from the head", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(nameArb, termMapArb), { minLength: 1, maxLength: 4, selector: (e) => e[0] }),
        fc.constantFrom(...TERM_STATUSES),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
        fc.constantFrom(1, 16, 200, 4096),
        async (indexes, status, probes, blockBytes) => {
          const s = await open(encodeTermSection(status, indexes.map(([n, m]) => input(n, m)), { blockBytes }));
          const got = [];
          for (const [n, m] of indexes) {
            const idx = s.index(n)!;
            const known = new Set(m.map(([t]) => t));
            const terms = [];
            for (const [t] of m) terms.push((await termPositions(idx, t)) ?? []);
            const absent = [];
            for (const p of probes.filter((p) => !known.has(p))) absent.push(await idx.get(p));
            let all = 0;
            for await (const _ of idx.prefix("")) all++;
            got.push({ count: idx.termCount, terms, absent, all });
          }
          expect({ status: s.status, names: s.indexes.map((x) => x.name), got, missing: s.index("no-such-index") }).toEqual({
            status,
            names: indexes.map(([n]) => n),
            got: indexes.map(([, m]) => ({ count: m.length, terms: m.map(([, p]) => p), absent: probes.filter((p) => !m.some(([t]) => t === p)).map(() => undefined), all: m.length })),
            missing: undefined,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  test("a lookup reads the head once, then one block (and one list), however large the index", async () => {
    const terms: [string, number[]][] = Array.from({ length: 20_000 }, (_, i) => [`term${String(i).padStart(6, "0")}`, [i, i + 1]]);
    terms.push(["zz-long", Array.from({ length: 5000 }, (_, i) => i * 3)]);
    const bytes = encodeTermSection("complete", [input("tokens", terms)]);
    const stats: ReadStats = { bytes: 0, reads: 0 };
    /** What `f` found, and the reads it took. */
    const step = async (f: () => Promise<unknown>) => {
      const before = { ...stats };
      const found = await f();
      return { found, reads: stats.reads - before.reads, small: stats.bytes - before.bytes <= 8192 };
    };
    const idx = (await open(bytes, stats)).index("tokens")!;
    const opened = { ...stats };
    expect({
      opened: { reads: opened.reads, small: opened.bytes <= 8192 },
      hit: await step(() => termPositions(idx, "term012345")),
      sameBlock: await step(() => termPositions(idx, "term012346")),
      absent: await step(() => termPositions(idx, "term0123450")),
      longListReads: (await step(async () => (await open(bytes, stats)).index("tokens")!.get("zz-long"))).reads,
      sectionBytes: bytes.length > 40_000,
    }).toEqual({
      opened: { reads: 1, small: true },
      hit: { found: [12345, 12346], reads: 1, small: true },
      sameBlock: { found: [12346, 12347], reads: 0, small: true },
      absent: { found: undefined, reads: 0, small: true },
      longListReads: 3, // a fresh open: head, block, list
      sectionBytes: true,
    });
  });

  test("a long list is kept decoded from its second use (repeated queries do not read it again)", async () => {
    const long = Array.from({ length: 5000 }, (_, i) => i * 3);
    const bytes = encodeTermSection("complete", [input("tokens", [["a", [1]], ["zz-long", long]])]);
    const stats: ReadStats = { bytes: 0, reads: 0 };
    const idx = (await open(bytes, stats)).index("tokens")!;
    const reads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = stats.reads;
      expect(await idx.get("zz-long")).toEqual(Uint32Array.from(long));
      reads.push(stats.reads - before);
    }
    expect(reads).toEqual([2, 1, 0]); // block + list, list (now cached), nothing
  });

  test("a head longer than the first read is completed by a second read of the rest", async () => {
    const terms: [string, number[]][] = Array.from({ length: 3000 }, (_, i) => [`t${String(i).padStart(5, "0")}`, [i]]);
    const stats: ReadStats = { bytes: 0, reads: 0 };
    const bytes = encodeTermSection("complete", [input("tokens", terms)], { blockBytes: 16 });
    const s = await open(bytes, stats);
    const opened = { ...stats };
    expect({ opened, hit: await termPositions(s.index("tokens")!, "t02999"), readsAfterHit: stats.reads }).toEqual({
      opened: { bytes: HEADER_SIZE + (bytes.length - HEADER_SIZE - s.indexes[0]!.bytes), reads: 2 },
      hit: [2999],
      readsAfterHit: 3,
    });
  });

  test("indexes built on demand (a generator) encode as the same indexes given at once, asked one after the other", () => {
    const made = [input("x", [["a", [1, 2]], ["b", [3]]]), input("y", [["c", [4]]]), input("z", [["d", Array.from({ length: 300 }, (_, i) => 3 * i)]])];
    const asked: string[] = [];
    function* lazy(): Generator<TermIndexInput> {
      for (const x of made) {
        asked.push(x.name);
        yield x;
      }
    }
    expect(encodeTermSection("complete", lazy(), { blockBytes: 1 })).toEqual(encodeTermSection("complete", made, { blockBytes: 1 }));
    expect(asked).toEqual(["x", "y", "z"]);
  });

  test("identical long lists are stored once, across blocks and indexes, and read back for every term", async () => {
    let x = 7;
    const shared: number[] = [];
    for (let i = 0, p = 0; i < 400; i++) shared.push((p += 1 + ((x = (x * 1103515245 + 12345) >>> 0) % 1000)));
    const other = shared.map((p) => p + 1);
    const sizeOf = (second: number[]) => encodeTermSection("complete", [input("x", [["a", shared], ["b", second]]), input("y", [["c", second]])], { blockBytes: 1 });
    const s = await open(sizeOf(shared));
    expect({
      lists: [await termPositions(s.index("x")!, "a"), await termPositions(s.index("x")!, "b"), await termPositions(s.index("y")!, "c")],
      saved: sizeOf(other).length - sizeOf(shared).length > 300,
    }).toEqual({ lists: [shared, shared, shared], saved: true });
  });

  test("encoder rejects bad index lists, names and block sizes", () => {
    const attempts: [string, () => unknown][] = [
      ["no indexes", () => encodeTermSection("complete", [])],
      ["17 indexes", () => encodeTermSection("complete", Array.from({ length: 17 }, (_, i) => input(`i${i}`, [])))],
      ["space in name", () => encodeTermSection("complete", [input("a b", [])])],
      ["empty name", () => encodeTermSection("complete", [input("", [])])],
      ["zero block size", () => encodeTermSection("complete", [input("a", [])], { blockBytes: 0 })],
    ];
    expect(attempts.map(([n, f]) => { try { f(); return [n, "ok"]; } catch (e) { return [n, (e as LogError).code]; } })).toEqual(attempts.map(([n]) => [n, "invalid_argument"]));
  });
});

describe("corrupt sections", () => {
  const records = [{ raw: encoder.encode("error disk full level=warn"), attrs: { host: "a" } }];
  const good = () => runBuilders(indexSectionBuilders()(), records, 1);
  const mutate = (f: (b: Uint8Array) => Uint8Array) => {
    const s = good();
    const tok = s.get("idx.tokens")!;
    s.set("idx.tokens", { ...tok, bytes: f(tok.bytes.slice()) });
    return openChunkIndexes(sectionReader(s), "complete", testScope());
  };
  const set = (at: number, v: number) => (b: Uint8Array) => ((b[at] = v), b);
  /** The token probe's outcome: its answer, or the code and message it threw. */
  const probe = async (f: (b: Uint8Array) => Uint8Array) => {
    try {
      const a = await mutate(f).probe({ kind: "token", token: "error" });
      return a.kind === "positions" ? Array.from(a.positions) : a.reason;
    } catch (e) {
      return `${(e as LogError).code}: ${(e as LogError).message}`;
    }
  };
  const cases: [string, (b: Uint8Array) => Uint8Array, string][] = [
    ["empty", () => new Uint8Array(0), "bad magic"],
    ["bad magic", set(0, 0x58), "bad magic"],
    ["unknown version", set(4, 9), "unknown version 9"],
    ["unknown status", set(5, 3), "unknown status 3"],
    ["another status", set(5, 2), "head checksum mismatch"],
    ["zero indexes", set(6, 0), "index count 0 out of range 1..16"],
    ["reserved byte", set(7, 1), "reserved byte is 1"],
    ["head too long", (b) => (new DataView(b.buffer).setUint32(8, 0x7fff_ffff, true), b), "exceeds"],
    ["head past the end", (b) => (new DataView(b.buffer).setUint32(8, 0x7fff, true), b), "overruns"],
    ["head checksum", (b) => ((b[HEADER_SIZE + 2] ^= 1), b), "head checksum mismatch"],
    ["truncated", (b) => b.subarray(0, b.length - 3), "data area"],
    ["damaged block", (b) => ((b[b.length - 2] ^= 1), b), "checksum mismatch"],
  ];
  test.each(cases)("%s: the probe throws LogError('corrupt'), never answers absent", async (_name, f, message) => {
    const got = String(await probe(f));
    expect({ corrupt: got.startsWith("corrupt: "), message: got.includes(message) }).toEqual({ corrupt: true, message: true });
  });

  test("any single-byte change: the lookup answers exactly or throws corrupt", async () => {
    const bytes = good().get("idx.tokens")!.bytes;
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), async (at, x) => {
        const got = await probe((b) => ((b[at] ^= x), b));
        expect(typeof got === "string" ? got.startsWith("corrupt: ") : got).toEqual(typeof got === "string" ? true : [0]);
      }),
      { numRuns: 200 },
    );
  });

  test("a block entry is range-checked when it is used", () => {
    const entry = { first: encoder.encode("a"), terms: 1, offset: 100, listsLen: 0, storedLen: 10, rawLen: 10, codec: 0, crc: 0 };
    const headOf = (e: typeof entry) => {
      const b = encodeHead("complete", [{ name: "t", termCount: 1, bytes: 0, blocks: [e] }]);
      return decodeHead(b, b.length);
    };
    const head = headOf(entry);
    const bad = [entry, { ...entry, offset: 0, codec: 7 }, { ...entry, offset: 0, terms: 0 }, { ...entry, offset: 0, rawLen: 11 }];
    expect([head.indexes[0]!.blockCount, ...bad.map((e) => {
      try {
        blockAt(headOf(e).indexes[0]!, 0, e === entry ? 0 : 10);
        return "accepted";
      } catch (err) {
        return (err as LogError).code;
      }
    })]).toEqual([1, "corrupt", "corrupt", "corrupt", "corrupt"]);
  });

  test("a head whose blocks do not fit the data area is rejected", () => {
    const bytes = encodeTermSection("complete", [input("t", [["a", [1]], ["b", [2]]])], { blockBytes: 1 });
    const opened = (b: Uint8Array) => { try { decodeHead(b, b.length); return "ok"; } catch (e) { return (e as LogError).message; } };
    expect([opened(bytes), opened(bytes.subarray(0, bytes.length - 1))]).toEqual(["ok", expect.stringContaining("bytes in a")]);
  });

  test("size report reads heads only and flags a corrupt section", async () => {
    const s = good();
    s.set("idx.msgkv", { bytes: new Uint8Array(3), status: "complete" });
    s.delete("idx.attrs");
    const r = await indexSizeReport(sectionReader(s));
    expect(r.map((x) => [x.name, x.section, x.status, x.indexes.map((i) => [i.name, i.terms])])).toEqual([
      ["token", "idx.tokens", "complete", [["tokens", 5]]],
      ["attr", "idx.attrs", "missing", []],
      ["kv", "idx.msgkv", "corrupt", []],
      ...["json", "clf", "syslog", "logfmt"].map((name) => [name, `idx.${name}`, "complete", [["keys", 0], ["values", 0], ["pairs", 0], ["overflow", 0], ["spellings", 0], ["unspelled", 0]]]),
    ]);
  });
});
