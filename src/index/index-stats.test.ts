import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ATTR_SECTION } from "./attr-builder.ts";
import { indexSectionBuilders } from "./builders.ts";
import { frequencyStats, type FrequencyStats } from "./index-stats.ts";
import type { IndexTypeStats } from "./index-type.ts";
import { openBuilt, oracle, runBuilders, sectionReader, type TermMap, type TestRecord } from "./index-test-support.ts";
import { MAX_VALUES_PER_KEY, MSGKV_SECTION } from "./msgkv-builder.ts";
import { chunkIndexStats } from "./reports.ts";
import { TOKEN_INDEX, TOKEN_SECTION } from "./token-builder.ts";

const enc = new TextEncoder();
const rec = (raw: string, attrs: Record<string, string> = {}): TestRecord => ({ raw: enc.encode(raw), attrs });

function statsOf(records: TestRecord[], topN: number, kvBudget?: number) {
  const built = runBuilders(indexSectionBuilders({ kvBudget })(), records, 4);
  return chunkIndexStats(sectionReader(built), records.length, topN);
}

/** One type's stats block by name. */
const block = (s: { stats: IndexTypeStats[] }, name: string) => s.stats.find((x) => x.name === name);

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

describe("chunkIndexStats", () => {
  test("a small chunk: one block per index type, in registry order", async () => {
    const f = naive(oracle(LOG).tokens, 2);
    /** A stats block as title, summary, label -> value, warnings. */
    const flat = (t: IndexTypeStats) => [t.name, t.section, t.title, t.summary, Object.fromEntries(t.fields.map(({ label, kind, ...v }) => [`${label} (${kind})`, Object.values(v)[0]])), t.warnings];
    const { stats, errors } = await statsOf(LOG, 2);
    expect({ errors, stats: stats.map(flat) }).toEqual({
      errors: [],
      stats: [
        ["token", "idx.tokens", "Token stats", `${f.terms} tokens, ${f.positions} positions`, {
          "unique tokens (count)": f.terms, "total positions (count)": f.positions, "avg frequency (text)": f.avg.toFixed(1),
          "frequency (text)": `p50 ${f.p50}, p95 ${f.p95}, max ${f.max}`, "top tokens (terms)": [{ term: "user", count: 3 }, { term: "bob", count: 2 }],
        }, []],
        ["attr", "idx.attrs", "Attribute stats", "2 keys, 3 values, 3 pairs, 4 positions", {
          "unique keys (count)": 2, "unique values (count)": 3, "unique pairs (count)": 3, "positions (count)": 4,
          "coverage (ratio)": 3, "top keys (terms)": [{ term: "host", count: 3 }, { term: "env", count: 1 }],
        }, []],
        ["kv", "idx.msgkv", "Message KV stats", "1 keys, 2 values, 2 pairs, 3 positions", {
          "keys indexed (count)": 1, "values indexed (count)": 2, "pairs indexed (count)": 2, "positions (count)": 3, "top keys (terms)": [{ term: "user", count: 3 }],
        }, []],
        ...[["json", "JSON field"], ["clf", "Access log field"], ["syslog", "Syslog field"], ["logfmt", "Logfmt field"]].map(([name, title]) => [name, `idx.${name}`, `${title} stats`, "0 keys, 0 values, 0 pairs, 0 positions", {
          "keys indexed (count)": 0, "values indexed (count)": 0, "pairs indexed (count)": 0, "positions (count)": 0, "top keys (terms)": [],
        }, []]),
      ],
    });
    expect(stats[1]!.fields.find((x) => x.kind === "ratio")).toEqual({ label: "coverage", kind: "ratio", part: 3, whole: 4, of: "records" });
  });

  test("no records: empty indexes give zeros", async () => {
    const s = await statsOf([], 5);
    expect([block(s, "token")!.summary, block(s, "attr")!.summary, block(s, "kv")!.summary]).toEqual(["0 tokens, 0 positions", "0 keys, 0 values, 0 pairs, 0 positions", "0 keys, 0 values, 0 pairs, 0 positions"]);
  });

  test("a kv budget of 1 byte marks the message index lossy", async () => {
    const kv = block(await statsOf(LOG, 1, 1), "kv")!;
    expect([kv.summary, kv.warnings]).toEqual(["0 keys, 0 values, 0 pairs, 0 positions", ["lossy — the size budget dropped entries (key=value queries verify by scanning)"]]);
  });

  test("a key past the per-key value cap is reported as overflowed", async () => {
    const many = Array.from({ length: MAX_VALUES_PER_KEY + 1 }, (_, i) => rec(`req id=${i} ok=1`));
    const kv = block(await statsOf(many, 2), "kv")!;
    expect([kv.summary, kv.fields.at(-1), kv.warnings]).toEqual([
      `2 keys, 0 values, 1 pairs, ${many.length} positions`,
      { label: "top keys", kind: "terms", terms: [{ term: "id", count: many.length }, { term: "ok", count: many.length }] },
      ["1 key(s) overflowed the per-key value cap, their values are not indexed: id", "their pairs are not indexed (key=value lookups on them scan)"],
    ]);
  });

  test("missing sections are skipped; a corrupt head is reported", async () => {
    const built = runBuilders(indexSectionBuilders({})(), LOG, 4);
    built.set(TOKEN_SECTION, { bytes: new Uint8Array([1, 2, 3]), status: "complete" });
    built.delete(MSGKV_SECTION);
    const s = await chunkIndexStats(sectionReader(built), LOG.length, 1);
    expect({ names: s.stats.map((x) => x.section), errors: s.errors.map((e) => e.startsWith(`section "${TOKEN_SECTION}": `)) }).toEqual({ names: [ATTR_SECTION, "idx.json", "idx.clf", "idx.syslog", "idx.logfmt"], errors: [true] });
  });

  test("random records, any block size: token frequency stats equal the naive computation", async () => {
    const word = fc.constantFrom("a", "b", "error", "warn", "host", "x1", "zz", "k=v", "user=bob", "dead");
    const record = fc.record({ raw: fc.array(word, { maxLength: 8 }).map((ws) => enc.encode(ws.join(" "))), attrs: fc.constant({}) });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 30 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(1, 20, 4096), async (records, topN, blockBytes) => {
        const built = runBuilders(indexSectionBuilders({ blockBytes })(), records, 4);
        expect(await frequencyStats((await openBuilt(built, TOKEN_SECTION))!.index(TOKEN_INDEX)!, topN)).toEqual(naive(oracle(records).tokens, topN));
      }),
      { numRuns: 60 },
    );
  });
});
