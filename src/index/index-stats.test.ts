import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ATTR_SECTION } from "./attr-builder.ts";
import { indexSectionBuilders } from "./builders.ts";
import { indexStats, openStatSections, type FrequencyStats } from "./index-stats.ts";
import { oracle, runBuilders, type TermMap, type TestRecord } from "./index-test-support.ts";
import { MAX_VALUES_PER_KEY, MSGKV_SECTION } from "./msgkv-builder.ts";
import { INDEX_SECTIONS } from "./size-report.ts";
import { TermSection } from "./term-section-reader.ts";
import { TOKEN_INDEX, TOKEN_SECTION } from "./token-builder.ts";

const enc = new TextEncoder();
const rec = (raw: string, attrs: Record<string, string> = {}): TestRecord => ({ raw: enc.encode(raw), attrs });

function statsOf(records: TestRecord[], topN: number, kvBudget?: number) {
  const built = runBuilders(indexSectionBuilders({ kvBudget })(), records, 4);
  const errors: string[] = [];
  const sections = openStatSections((n) => built.get(n)?.bytes, INDEX_SECTIONS, errors);
  return { stats: indexStats(sections, records.length, topN), errors };
}

/** The naive frequency stats of a term map (nearest-rank percentiles). */
function naive(m: TermMap, topN: number): FrequencyStats {
  const entries = [...m.entries()].map(([term, p]) => ({ term, count: p.length }));
  const sorted = entries.map((e) => e.count).sort((a, b) => a - b);
  const positions = sorted.reduce((a, b) => a + b, 0);
  const pct = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!);
  const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const top = entries.sort((a, b) => b.count - a.count || byteOrder(a.term, b.term)).slice(0, topN);
  return { terms: m.size, positions, avg: m.size === 0 ? 0 : positions / m.size, p50: pct(0.5), p95: pct(0.95), max: sorted.at(-1) ?? 0, top };
}

const LOG = [
  rec("ERROR db down user=bob", { host: "a", env: "prod" }),
  rec("INFO login user=alice", { host: "b" }),
  rec("ERROR disk full", {}),
  rec("INFO login user=bob", { host: "a" }),
];

describe("indexStats", () => {
  test("a small chunk: tokens, attributes and message key=value", () => {
    expect(statsOf(LOG, 2)).toEqual({
      errors: [],
      stats: {
        tokens: naive(oracle(LOG).tokens, 2),
        attrs: { keys: 2, values: 3, pairs: 3, positions: 4, recordsWithAttrs: 3, topKeys: [{ term: "host", count: 3 }, { term: "env", count: 1 }] },
        kv: { keys: 1, values: 2, pairs: 2, positions: 3, status: "complete", overflowedKeys: 0, overflowed: [], topKeys: [{ term: "user", count: 3 }] },
      },
    });
    expect(statsOf(LOG, 2).stats.tokens!.top).toEqual([{ term: "user", count: 3 }, { term: "bob", count: 2 }]);
  });

  test("no records: empty indexes give zeros", () => {
    const { stats } = statsOf([], 5);
    expect(stats.tokens).toEqual({ terms: 0, positions: 0, avg: 0, p50: 0, p95: 0, max: 0, top: [] });
    expect(stats.attrs).toEqual({ keys: 0, values: 0, pairs: 0, positions: 0, recordsWithAttrs: 0, topKeys: [] });
  });

  test("a kv budget of 1 byte marks the message index lossy", () => {
    expect(statsOf(LOG, 1, 1).stats.kv).toEqual({ keys: 0, values: 0, pairs: 0, positions: 0, status: "budget", overflowedKeys: 0, overflowed: [], topKeys: [] });
  });

  test("a key past the per-key value cap is reported as overflowed", () => {
    const many = Array.from({ length: MAX_VALUES_PER_KEY + 1 }, (_, i) => rec(`req id=${i} ok=1`));
    const kv = statsOf(many, 2).stats.kv!;
    expect(kv).toEqual({
      keys: 2,
      values: MAX_VALUES_PER_KEY,
      pairs: 1,
      positions: many.length,
      status: "complete",
      overflowedKeys: 1,
      overflowed: ["id"],
      topKeys: [{ term: "id", count: many.length }, { term: "ok", count: many.length }],
    });
  });

  test("missing sections are skipped; a corrupt header is reported", () => {
    const built = runBuilders(indexSectionBuilders({})(), LOG, 4);
    const errors: string[] = [];
    const sections = openStatSections((n) => (n === TOKEN_SECTION ? new Uint8Array([1, 2, 3]) : n === MSGKV_SECTION ? undefined : built.get(n)?.bytes), INDEX_SECTIONS, errors);
    expect({ names: [...sections.keys()], errors: errors.length, stats: Object.keys(indexStats(sections, LOG.length, 1)) }).toEqual({ names: [ATTR_SECTION], errors: 1, stats: ["attrs"] });
  });

  test("random records: token stats equal the naive computation", () => {
    const word = fc.constantFrom("a", "b", "error", "warn", "host", "x1", "zz", "k=v", "user=bob", "dead");
    const record = fc.record({ raw: fc.array(word, { maxLength: 8 }).map((ws) => enc.encode(ws.join(" "))), attrs: fc.constant({}) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.integer({ min: 0, max: 6 }), (records, topN) => {
        expect(statsOf(records, topN).stats.tokens).toEqual(naive(oracle(records).tokens, topN));
      }),
      { numRuns: 60 },
    );
  });
});

describe("TermSection.listing", () => {
  test("terms in byte order with list sizes and postings", () => {
    const built = runBuilders(indexSectionBuilders({})(), LOG, 2);
    const l = new TermSection(built.get(TOKEN_SECTION)!.bytes).listing(TOKEN_INDEX)!;
    const rows = Array.from({ length: l.termCount }, (_, i) => [l.term(i), l.positions(i), Array.from(l.postings(i))]);
    const want = [...oracle(LOG).tokens.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([t, p]) => [t, p.length, p]);
    expect(rows).toEqual(want);
    expect(new TermSection(built.get(TOKEN_SECTION)!.bytes).listing("nope")).toBeUndefined();
  });
});
