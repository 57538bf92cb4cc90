import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ByteWriter } from "../core/bytes/growable.ts";
import { LogError } from "../core/errors.ts";
import { runBuilders, sectionReader } from "./index-test-support.ts";
import { indexSectionBuilders } from "./builders.ts";
import { openChunkIndexes } from "./open.ts";
import { encodePostings } from "./postings.ts";
import { indexSizeReport } from "./size-report.ts";
import { encodeTermSection, TERM_STATUSES, type TermIndexInput } from "./term-section-format.ts";
import { TermSection } from "./term-section-reader.ts";

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

const positionsArb = fc.uniqueArray(fc.nat(5000), { minLength: 1, maxLength: 30 }).map((a) => a.sort((x, y) => x - y));
const termMapArb = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 20, unit: "binary" }), positionsArb), { maxLength: 40, selector: (e) => e[0] });
const nameArb = fc.stringMatching(/^[a-z][a-z0-9.]{0,31}$/);

describe("term section format", () => {
  test("round trip: every term found with its positions, others absent, counts from the header", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(nameArb, termMapArb), { minLength: 1, maxLength: 4, selector: (e) => e[0] }), fc.constantFrom(...TERM_STATUSES), fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }), (indexes, status, probes) => {
        const s = new TermSection(encodeTermSection(status, indexes.map(([n, m]) => input(n, m))));
        const got = indexes.map(([n, m]) => {
          const idx = s.index(n)!;
          const known = new Set(m.map(([t]) => t));
          return { count: idx.termCount, terms: m.map(([t]) => Array.from(idx.get(t) ?? [])), absent: probes.filter((p) => !known.has(p)).map((p) => idx.get(p)) };
        });
        expect({ status: s.header.status, got, missing: s.index("no-such-index") }).toEqual({
          status,
          got: indexes.map(([, m]) => ({ count: m.length, terms: m.map(([, p]) => p), absent: probes.filter((p) => !m.some(([t]) => t === p)).map(() => undefined) })),
          missing: undefined,
        });
      }),
      { numRuns: 150 },
    );
  });

  test("encoder rejects bad index lists and names", () => {
    const attempts: [string, () => unknown][] = [
      ["no indexes", () => encodeTermSection("complete", [])],
      ["17 indexes", () => encodeTermSection("complete", Array.from({ length: 17 }, (_, i) => input(`i${i}`, [])))],
      ["space in name", () => encodeTermSection("complete", [input("a b", [])])],
      ["empty name", () => encodeTermSection("complete", [input("", [])])],
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
    return openChunkIndexes(sectionReader(s), "complete");
  };
  const set = (at: number, v: number) => (b: Uint8Array) => ((b[at] = v), b);
  const cases: [string, (b: Uint8Array) => Uint8Array, string][] = [
    ["empty", () => new Uint8Array(0), "0 bytes is shorter than the 12-byte header"],
    ["bad magic", set(0, 0x58), "bad magic"],
    ["unknown version", set(4, 9), "unknown version 9"],
    ["unknown status", set(5, 3), "unknown status 3"],
    ["zero indexes", set(6, 0), "index count 0 out of range 1..16"],
    ["reserved byte", set(7, 1), "reserved byte is 1"],
    ["body length too large", (b) => (new DataView(b.buffer).setUint32(8, 0x7fff_ffff, true), b), "exceeds"],
    ["name length zero", set(12, 0), "index name length 0 at offset 12"],
    ["truncated directory", (b) => b.subarray(0, 20), "overruns the section"],
    ["term count too large", (b) => (new DataView(b.buffer).setUint32(13 + 6, 1_000_000, true), b), "claims 1000000 terms"],
  ];
  for (const [name, f, message] of cases) {
    test(`${name}: an errors entry, the index undefined, no throw`, () => {
      const idx = mutate(f);
      expect({ tokens: idx.tokens, attrs: idx.attrKeys !== undefined, error: idx.errors.length === 1 && idx.errors[0]!.startsWith('section "idx.tokens": term index section: ') && idx.errors[0]!.includes(message) }).toEqual({ tokens: undefined, attrs: true, error: true });
    });
  }

  test("a damaged body throws LogError('corrupt') on lookup, never answers absent", () => {
    const idx = mutate((b) => b.subarray(0, b.length - 3));
    const outcome = (() => { try { return idx.tokens!.get("error"); } catch (e) { return (e as LogError).code; } })();
    expect([idx.errors, outcome]).toEqual([[], "corrupt"]);
  });

  test("any single-byte change: opening never throws", () => {
    const bytes = good().get("idx.tokens")!.bytes;
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const idx = mutate((b) => ((b[at] ^= x), b));
        expect(idx.errors.length).toEqual(idx.tokens === undefined ? 1 : 0);
      }),
      { numRuns: 100 },
    );
  });

  test("size report reads headers only and flags a corrupt section", () => {
    const s = good();
    s.set("idx.msgkv", { bytes: new Uint8Array(3), status: "complete" });
    s.delete("idx.attrs");
    const r = indexSizeReport(sectionReader(s));
    expect(r.map((x) => [x.section, x.status, x.indexes.map((i) => [i.name, i.terms])])).toEqual([
      ["idx.tokens", "complete", [["tokens", 5]]],
      ["idx.attrs", "missing", []],
      ["idx.msgkv", "corrupt", []],
    ]);
  });
});
