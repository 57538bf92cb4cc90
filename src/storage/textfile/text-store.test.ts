/** Text file store: records against a line model, regions, batches, cursors, caching, read-only refusals (byte search: text-store-search.test.ts). */

import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { LogError } from "../../core/errors.ts";
import { MAX_RAW_BYTES } from "../../core/limits.ts";
import { recordAt } from "../record-batch.ts";
import { tempDir } from "../file/test-helpers.ts";
import { chunkSourceConformance } from "../source-conformance.suite.ts";
import type { ChunkStore } from "../types.ts";
import { openTextFileStore } from "./text-store.ts";
import { enc, latin1, leadingSeconds, model, open, OPEN, readAll, write, type Rec } from "./text-store-test-support.ts";
import { thrownCode } from "../../../test/support/outcome.ts";
import { until } from "../../../test/support/until.ts";


chunkSourceConformance("text files", async () => {
  const dir = tempDir();
  let store: ChunkStore | undefined;
  return {
    async load(lines) {
      const half = lines.length >> 1;
      const files = [lines.slice(0, half), lines.slice(half)].map((part, k) => {
        const path = join(dir.path, `part${k}.log`);
        writeFileSync(path, part.map((l) => `${l}\n`).join(""));
        return { path, part, name: `part${k}.log` };
      });
      store = openTextFileStore("t", files.map((f) => f.path), { clock: () => OPEN, regionBytes: 2000 });
      const enc = new TextEncoder();
      const expected = files.flatMap((f) => f.part.map((l) => ({ raw: enc.encode(l), attrs: { file: f.name }, sourceTs: 0, ingestTs: OPEN, writeTs: OPEN })));
      return { source: store, expected };
    },
    async cleanup() {
      await store?.close();
      dir[Symbol.dispose]();
    },
  };
});

describe("text file store records", () => {
  const cases: [string, string][] = [
    ["plain", "10 a\n20 b\n"],
    ["crlf and lone cr", "10 a\r\nb\r\r\nc\rd\n"],
    ["empty lines", "\n\n10 x\n\n"],
    ["no trailing newline", "10 a\n20 b"],
    ["trailing cr at eof", "10 a\r"],
    ["only a newline", "\n"],
    ["binary", "10 \u0000\u00ff\n\u00c3\n"],
    ["continuations", "5 start\n  at x\n  at y\n7 next\nmore\n"],
    ["leading lines without time", "a\nb\n9 c\nd\n"],
  ];
  for (const regionBytes of [1, 3, 16, 1 << 20]) {
    test.each(cases)(`%s (regions of ${regionBytes} B)`, (_, content) => {
      using d = tempDir("gl-text-");
      const s = open([write(d.path, "app.log", enc(content))], { regionBytes });
      expect(readAll(s)).toEqual(model([{ name: "app.log", bytes: enc(content) }]));
    });
  }

  test("a line past the limit is cut and carries _truncated", () => {
    using d = tempDir("gl-text-");
    const content = `1 ${"x".repeat(MAX_RAW_BYTES + 5)}\r\nnext\n`;
    const s = open([write(d.path, "big.log", content)]);
    expect(readAll(s).map((r) => [r.raw.length, r.attrs, r.sourceTs])).toEqual([
      [MAX_RAW_BYTES, { file: "big.log", _truncated: String(MAX_RAW_BYTES + 7) }, 1e6],
      [4, { file: "big.log" }, 1e6],
    ]);
  });

  test("records read before their block is compacted for a batch keep their bytes", () => {
    using d = tempDir("gl-text-");
    const content = Array.from({ length: 9000 }, (_, i) => `${i + 1} line ${i}\r`).join("\n");
    const s = open([write(d.path, "c.log", content)]);
    const r = s.open(s.chunks()[0]!.id);
    const early = [0, 4095, 4096, 8999].map((p) => r.record(p));
    const batched = readAll(s);
    expect(early.map((x) => latin1.decode(x.raw))).toEqual([0, 4095, 4096, 8999].map((p) => batched[p]!.raw));
    expect(batched).toEqual(model([{ name: "c.log", bytes: enc(content) }]));
  });

  test("several files: chunks in order, attrs per file, timestamps do not carry across files", () => {
    using d = tempDir("gl-text-");
    const a = write(d.path, "a.log", "3 a1\na2\n");
    const e = write(d.path, "empty.log", "");
    const b = write(d.path, "b.log", "b1\n4 b2\n");
    const s = open([a, e, b], { regionBytes: 4 });
    expect(readAll(s)).toEqual(model([{ name: "a.log", bytes: enc("3 a1\na2\n") }, { name: "b.log", bytes: enc("b1\n4 b2\n") }]));
    expect(s.chunks().map((m) => m.storedBytes)).toEqual([5, 3, 8]);
  });

  test("matches the model for random content, region sizes and cache budgets", () => {
    using d = tempDir("gl-text-");
    const alphabet = fc.constantFrom("a", "1", "2", " ", "\n", "\n", "\r", "\u0000", "\u00e9");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 400 }), (chars, regionBytes, cacheBytes) => {
        const bytes = enc(chars.join(""));
        const s = open([write(d.path, "p.log", bytes)], { regionBytes, cacheBytes });
        expect(readAll(s)).toEqual(model([{ name: "p.log", bytes }]));
      }),
      { numRuns: 150 },
    );
  });

  test.each([[7000], [50]])("timestamps read back to front equal a front-to-back read (time every %d lines)", (every) => {
    using d = tempDir("gl-text-");
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(i % every === 3 ? `${i + 1} t` : `c${i}`);
    const content = lines.join("\n") + "\n";
    const want = model([{ name: "o.log", bytes: enc(content) }]).map((r) => r.sourceTs);
    const s = open([write(d.path, "o.log", content)], { regionBytes: 30_000 });
    const metas = s.chunks();
    expect(metas.length).toBeGreaterThan(3);
    const got: number[][][] = metas.map(() => []);
    for (let k = metas.length - 1; k >= 0; k--) {
      const r = s.open(metas[k]!.id);
      const batches = [...r.batches(0, r.count())];
      for (let b = batches.length - 1; b >= 0; b--) got[k]![b] = [...batches[b]!.sourceTs];
    }
    expect(got.flat(2)).toEqual(want);
  });
});

describe("text file store reads", () => {
  function store(d: { path: string }): ChunkStore {
    const content = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `${i + 1} line ${i}` : `cont ${i}`)).join("\n");
    return open([write(d.path, "r.log", content)], { regionBytes: 20_000 });
  }

  test("batches over any range return exactly those records", () => {
    using d = tempDir("gl-text-");
    const s = store(d);
    const m = s.chunks()[1]!;
    const r = s.open(m.id);
    const all = Array.from({ length: r.count() }, (_, i) => r.record(i));
    fc.assert(
      fc.property(fc.nat(r.count()), fc.nat(r.count()), (x, y) => {
        const [from, to] = x <= y ? [x, y] : [y, x];
        const got = [...r.batches(from, to)].flatMap((b) => Array.from({ length: b.count }, (_, i) => ({ pos: b.first + i, ...recordAt(b, i) })));
        expect(got).toEqual(all.slice(from, to).map((rec, i) => ({ pos: from + i, ...rec })));
      }),
      { numRuns: 60 },
    );
    expect(() => r.batches(0, r.count() + 1)).toThrow(LogError);
  });

  test("a record read from a batch parses only its own line when it has a timestamp, else inherits as the column does", () => {
    using d = tempDir("gl-text-");
    let parses = 0;
    const counting = (b: Uint8Array, s: number, e: number) => (parses++, leadingSeconds(b, s, e));
    const content = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `${i + 1} line ${i}` : `cont ${i}`)).join("\n");
    const s = open([write(d.path, "r.log", content)], { regionBytes: 20_000, parseTimestamp: counting });
    const r = s.open(s.chunks()[1]!.id);
    const batch = [...r.batches(0, r.count())][0]!;
    const line = (i: number) => latin1.decode(batch.data.subarray(batch.rawOffsets[i]!, batch.rawOffsets[i + 1]!));
    const stamped = Array.from({ length: batch.count }, (_, i) => i).find((i) => line(i).includes(" line ") && line(i + 1).startsWith("cont"))!;
    parses = 0;
    const own = recordAt(batch, stamped);
    expect([parses, own.sourceTs]).toEqual([1, Number(latin1.decode(own.raw).split(" ")[0]) * 1e6]);
    const inherited = recordAt(batch, stamped + 1);
    expect(parses).toBeGreaterThan(2); // no timestamp of its own: the block is parsed for the carry
    expect(inherited.sourceTs).toBe(own.sourceTs);
    expect(Array.from({ length: batch.count }, (_, i) => recordAt(batch, i).sourceTs)).toEqual(Array.from(batch.sourceTs));
  });

  test("cursor: next/prev/seek and seekTime over the open-time writeTs", () => {
    using d = tempDir("gl-text-");
    const s = store(d);
    const r = s.open(s.chunks()[0]!.id);
    const c = r.cursor();
    const text = (x: { raw: Uint8Array } | undefined) => (x ? latin1.decode(x.raw) : undefined);
    expect([text(c.next()), text(c.next()), text(c.prev())]).toEqual(["1 line 0", "cont 1", text(r.record(r.count() - 1))]);
    c.seek(3);
    expect([text(c.next()), text(c.prev())]).toEqual(["4 line 3", "cont 2"]);
    c.seekTime(OPEN);
    expect(text(c.next())).toBe("1 line 0");
    c.seekTime(OPEN + 1);
    expect([c.next(), text(c.prev())]).toEqual([undefined, text(r.record(r.count() - 1))]);
  });

  test("meta: sealed, lazily counted, event range unknown until every block was read", () => {
    using d = tempDir("gl-text-");
    const s = store(d);
    const m = s.chunks()[0]!;
    expect({ state: m.state, eventTs: m.eventTs, writeTs: m.writeTs, codec: m.codec, indexStatus: m.indexStatus }).toEqual({
      state: "sealed",
      eventTs: { min: 0, max: Number.MAX_SAFE_INTEGER },
      writeTs: { min: OPEN, max: OPEN },
      codec: "none",
      indexStatus: "none",
    });
    const r = s.open(m.id);
    expect(r.blocks().map((b) => b.eventTs)).toEqual([{ min: 0, max: Number.MAX_SAFE_INTEGER }]);
    for (const b of r.batches(0, r.count())) expect(b.sourceTs.length).toBe(b.count);
    const last = Math.floor((r.count() - 1) / 3) * 3 + 1;
    expect([s.chunk(m.id)!.eventTs, r.blocks()[0]!.eventTs, m.records, m.rawBytes]).toEqual([
      { min: 1e6, max: last * 1e6 },
      { min: 1e6, max: last * 1e6 },
      r.count(),
      Array.from({ length: r.count() }, (_, i) => r.record(i).raw.length).reduce((a, b) => a + b, 0),
    ]);
  });
});

describe("text file store lifecycle", () => {
  test("appends, deletes are refused; seal, idle, subscribe are no-ops", async () => {
    using d = tempDir("gl-text-");
    const s = open([write(d.path, "x.log", "1 a\n")]);
    const id = s.chunks()[0]!.id;
    expect(await s.append([{ raw: enc("x"), attrs: {}, sourceTs: 0, ingestTs: 0 }]).catch((e: LogError) => e.code)).toBe("permission_denied");
    expect(await s.delete(id).catch((e: LogError) => e.code)).toBe("permission_denied");
    const unsubscribe = s.subscribe(() => {});
    unsubscribe();
    expect([await s.seal(), await s.idle(), s.chunks().length]).toEqual([undefined, undefined, 1]);
    expect(() => s.open("nope")).toThrow(LogError);
  });

  test("close releases the files; readers opened before fail cleanly", async () => {
    using d = tempDir("gl-text-");
    const s = open([write(d.path, "x.log", "1 a\n2 b\n")]);
    const r = s.open(s.chunks()[0]!.id);
    await s.close();
    const codes = [() => s.open(s.chunks()[0]!.id), () => r.record(0)].map(thrownCode);
    expect(codes).toEqual(["unavailable", "unavailable"]);
  });

  test("open errors name the path; a file truncated after open fails its read", () => {
    using d = tempDir("gl-text-");
    mkdirSync(join(d.path, "dir"));
    expect([thrownCode(() => open([join(d.path, "missing.log")])), thrownCode(() => open([join(d.path, "dir")]))]).toEqual(["not_found", "invalid_argument"]);
    const p = write(d.path, "t.log", "1 a\n2 b\n");
    const s = open([p]);
    truncateSync(p, 2);
    expect(thrownCode(() => s.open(s.chunks()[0]!.id).count())).toBe("unavailable");
  });

  test("an evicted region whose bytes changed fails its reload instead of returning other lines", () => {
    using d = tempDir("gl-text-");
    const p = write(d.path, "c.log", "1 aa\n2 bb\n3 cc\n4 dd\n");
    const s = open([p], { regionBytes: 10, cacheBytes: 0 });
    const [a, b] = s.chunks().map((m) => s.open(m.id));
    expect([a!.count(), b!.count()]).toEqual([2, 2]);
    writeFileSync(p, "1 a\na\n2 bb\n3 cc\n4 dd\n".slice(0, 20));
    expect(() => a!.record(0)).toThrow("changed after it was opened");
  });
});

describe("follow: the files keep being read while the store is open", () => {
  /** Waits (bounded) until the store has `n` records. */
  async function records(s: ChunkStore, n: number): Promise<Rec[]> {
    return until(() => {
      const all = readAll(s);
      return all.length >= n && all;
    }, { what: `${n} records`, timeoutMs: 5000, pollMs: 10, detail: () => JSON.stringify(readAll(s).map((r) => r.raw)) });
  }

  /** A followed store over one file `app.log` that starts with `initial`. */
  async function followed(initial: string, body: (path: string, s: ChunkStore) => Promise<void>): Promise<void> {
    using d = tempDir();
    const p = join(d.path, "app.log");
    writeFileSync(p, initial);
    const s = open([p], { follow: true });
    try {
      await body(p, s);
    } finally {
      await s.close();
    }
  }

  test("appended lines become new chunks (a partial line waits for its newline) and subscribers hear of them", () =>
    followed("1 first\n", async (p, s) => {
      const events: string[] = [];
      s.subscribe((e) => events.push(e.kind));
      appendFileSync(p, "2 second\n3 thi");
      await records(s, 2);
      appendFileSync(p, "rd\n");
      expect((await records(s, 3)).map((r) => r.raw)).toEqual(["1 first", "2 second", "3 third"]);
      expect(events.filter((k) => k === "appended").length).toBeGreaterThanOrEqual(2);
    }));

  test("without a subscriber (no watcher yet), each chunk listing reads what was appended since", () =>
    followed("1 first\n", async (p, s) => {
      appendFileSync(p, "2 second\n3 thi");
      expect(readAll(s).map((r) => r.raw)).toEqual(["1 first", "2 second"]);
      appendFileSync(p, "rd\n");
      expect(readAll(s).map((r) => r.raw)).toEqual(["1 first", "2 second", "3 third"]);
    }));

  test("rename rotation: the old file's last lines, then the new file from its start", () =>
    followed("1 a\n", async (p, s) => {
      appendFileSync(p, "2 b\n");
      renameSync(p, `${p}.1`);
      appendFileSync(`${p}.1`, "3 c\n");
      writeFileSync(p, "4 d\n");
      expect((await records(s, 4)).map((r) => r.raw)).toEqual(["1 a", "2 b", "3 c", "4 d"]);
    }));

  test("truncated in place: the old chunks go, the new content is read", () =>
    followed("1 old line\n2 old line\n", async (p, s) => {
      truncateSync(p, 0);
      appendFileSync(p, "3 new\n");
      // Until the store notices, reading the old chunk fails (its bytes are gone).
      const raws = () => {
        try {
          return readAll(s).map((r) => r.raw);
        } catch (err) {
          return [(err as Error).message];
        }
      };
      await until(() => raws().join() === "3 new", { what: "only the new file's line", timeoutMs: 5000, pollMs: 10, detail: () => JSON.stringify(raws()) });
      expect(raws()).toEqual(["3 new"]);
    }));
});
