import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { indexSectionBuilders } from "./builders.ts";
import { KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { expectedAll, lookupAll, openBuilt, oracle, runBuilders, type TermMap, type TestRecord } from "./index-test-support.ts";
import { MAX_TOTAL_ENTRIES, MAX_UNIQUE_KEYS, MAX_VALUES_PER_KEY, MSGKV_SECTION, MessageKvIndexBuilder, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { PAIR_SEPARATOR } from "./types.ts";

const encoder = new TextEncoder();
const utf8Len = (s: string) => encoder.encode(s).length;

/** Records of `perRecord` pairs each from a flat list of "k=v" texts. */
function pairRecords(pairs: string[], perRecord = 100): TestRecord[] {
  const out: TestRecord[] = [];
  for (let i = 0; i < pairs.length; i += perRecord) out.push({ raw: encoder.encode(pairs.slice(i, i + perRecord).join(" ")), attrs: {} });
  return out;
}

/** The message key=value index of `sections` as the tests read it. */
function kvOf(sections: Map<string, { bytes: Uint8Array }>) {
  const s = openBuilt(sections, MSGKV_SECTION)!;
  const index = (name: string) => s.index(name)!;
  return { status: s.status, keys: index(KEYS_INDEX), values: index(VALUES_INDEX), pairs: index(PAIRS_INDEX), overflow: index(OVERFLOW_INDEX) };
}

function buildKv(records: TestRecord[], budget = 10 * 1024 * 1024) {
  const sections = runBuilders([new MessageKvIndexBuilder(budget)], records, 64);
  const m = kvOf(sections);
  return { status: sections.get(MSGKV_SECTION)!.status, sectionStatus: m.status, counts: [m.keys.termCount, m.values.termCount, m.pairs.termCount] };
}

const range = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const values = (n: number, key = "k") => range(n, (i) => `${key}=v${i}`);
const grid = (keys: number, vals: number) => range(keys, (k) => values(vals, `key${k}`)).flat();

describe("message KV hard caps (A4.3)", () => {
  const capped = { status: "capped", sectionStatus: "capped" as const, counts: [0, 0, 0] };
  const cases: [string, string[], ReturnType<typeof buildKv>][] = [
    ["exactly MaxUniqueKeys keys", range(MAX_UNIQUE_KEYS, (i) => `key${i}=v`), { status: "complete", sectionStatus: "complete" as const, counts: [MAX_UNIQUE_KEYS, 1, MAX_UNIQUE_KEYS] }],
    ["one key more", range(MAX_UNIQUE_KEYS + 1, (i) => `key${i}=v`), capped],
    ["exactly MaxValuesPerKey values", values(MAX_VALUES_PER_KEY), { status: "complete", sectionStatus: "complete" as const, counts: [1, MAX_VALUES_PER_KEY, MAX_VALUES_PER_KEY] }],
    // Past the per-key cap only that key's pairs go (listed as overflowed), not the whole index.
    ["one value more", values(MAX_VALUES_PER_KEY + 1), { status: "complete", sectionStatus: "complete" as const, counts: [1, MAX_VALUES_PER_KEY, 0] }],
    ["case variants are the same value", [...values(MAX_VALUES_PER_KEY), ...range(MAX_VALUES_PER_KEY, (i) => `K=V${i}`)], { status: "complete", sectionStatus: "complete" as const, counts: [1, MAX_VALUES_PER_KEY, MAX_VALUES_PER_KEY] }],
    ["exactly MaxTotalEntries pairs", grid(100, MAX_TOTAL_ENTRIES / 100), { status: "complete", sectionStatus: "complete" as const, counts: [100, 1000, MAX_TOTAL_ENTRIES] }],
    ["then a known pair visited again", [...grid(100, MAX_TOTAL_ENTRIES / 100), "key0=v0"], capped],
  ];
  for (const [name, pairs, want] of cases) {
    test(name, () => expect(buildKv(pairRecords(pairs))).toEqual(want));
  }

  test("an overflowed key is listed; other keys keep exact pairs; value lookups become incomplete", () => {
    const sections = runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET)], pairRecords([...values(MAX_VALUES_PER_KEY + 5), "level=warn", "level=info"], 1), 64);
    const m = kvOf(sections);
    expect({ overflowed: [...m.overflow.prefix("")].map((e) => e.term), level: m.overflow.get("level") }).toEqual({ overflowed: ["k"], level: undefined });
    expect(m.pairs.get("level\u0000warn")).toEqual(new Uint32Array([MAX_VALUES_PER_KEY + 5]));
    expect(m.pairs.get("k\u0000v1")).toBeUndefined();
    expect(m.keys.get("k")!.length).toBe(MAX_VALUES_PER_KEY + 5);
  });

  test("a repeat inside the record that reached MaxTotalEntries is not a new visit", () => {
    const pairs = grid(100, MAX_TOTAL_ENTRIES / 100);
    const records = pairRecords(pairs);
    records[records.length - 1] = { raw: encoder.encode(`${pairs.slice(-100).join(" ")} ${pairs[pairs.length - 1]}`), attrs: {} };
    expect(buildKv(records).status).toEqual("complete");
  });
});

/** A4.4 greedy prefix computed independently from the oracle map. */
function greedy(m: TermMap, pair: boolean, budget: number): TermMap {
  const cost = (term: string, n: number) => {
    if (!pair) return 2 + utf8Len(term) + 4 + 4 + 4 * n;
    const [k, v] = term.split(PAIR_SEPARATOR) as [string, string];
    return 2 + utf8Len(k) + 2 + utf8Len(v) + 8 + 4 * n;
  };
  const cmpBytes = (a: string, b: string) => Buffer.compare(encoder.encode(a), encoder.encode(b));
  const order = [...m.entries()].sort(([ta, pa], [tb, pb]) => pb.length - pa.length || cost(ta, pa.length) - cost(tb, pb.length) || cmpBytes(ta, tb));
  const out: TermMap = new Map();
  let total = 9;
  for (const [t, p] of order) {
    if (total + cost(t, p.length) > budget) break;
    total += cost(t, p.length);
    out.set(t, p);
  }
  return out;
}

describe("message KV budget (A4.4)", () => {
  const pairArb = fc.tuple(fc.constantFrom("a", "bb", "Level", "x.y", "status"), fc.constantFrom("1", "OK", "ok", "info", "Warn", "longer-value-here")).map(([k, v]) => `${k}=${v}`);
  const recordArb = fc.array(pairArb, { maxLength: 6 }).map((ps) => ({ raw: encoder.encode(ps.join(" ")), attrs: {} }));

  test("admitted entries are the greedy prefix; drops make the index lossy", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), fc.integer({ min: 1, max: 700 }), (records, budget) => {
        const o = oracle(records);
        const want = { keys: greedy(o.kvKeys, false, budget), values: greedy(o.kvValues, false, budget), pairs: greedy(o.kvPairs, true, budget) };
        const dropped = want.keys.size < o.kvKeys.size || want.values.size < o.kvValues.size || want.pairs.size < o.kvPairs.size;
        const sections = runBuilders(indexSectionBuilders({ kvBudget: budget })(), records, 7);
        const m = kvOf(sections);
        const got = { status: sections.get(MSGKV_SECTION)!.status, sectionStatus: m.status, keys: lookupAll(m.keys, o.kvKeys), values: lookupAll(m.values, o.kvValues), pairs: lookupAll(m.pairs, o.kvPairs) };
        const expectOnly = (admitted: TermMap, all: TermMap) => ({ termCount: admitted.size, terms: Object.fromEntries([...all.keys()].map((t) => [t, admitted.get(t)])) });
        expect(got).toEqual({
          status: dropped ? "lossy" : "complete",
          sectionStatus: dropped ? "budget" : "complete",
          keys: expectOnly(want.keys, o.kvKeys),
          values: expectOnly(want.values, o.kvValues),
          pairs: expectOnly(want.pairs, o.kvPairs),
        });
      }),
      { numRuns: 200 },
    );
  });

  test("default budget keeps a small chunk whole", () => {
    const records = pairRecords(values(50), 5);
    const m = kvOf(runBuilders(indexSectionBuilders()(), records, 4));
    expect([m.status, lookupAll(m.pairs, oracle(records).kvPairs)]).toEqual(["complete", expectedAll(oracle(records).kvPairs)]);
  });
});
