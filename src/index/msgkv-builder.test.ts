import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { indexSectionBuilders } from "./builders.ts";
import { expectedAll, lookupAll, openBuilt, openBuiltKv, oracle, runBuilders, sectionReader, termPositions, testScope, type TermMap, type TestRecord } from "./index-test-support.ts";
import { openChunkIndexes } from "./open.ts";
import { MAX_TOTAL_ENTRIES, MAX_UNIQUE_KEYS, MAX_VALUES_PER_KEY, MSGKV_SECTION, MessageKvIndexBuilder, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { msgkvIndex } from "./msgkv-index.ts";
import { KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { TermTable } from "./term-table.ts";
import { formatIndexType } from "./format-index.ts";
import { jsonFormat } from "./json-fields.ts";
import { DEFAULT_BLOCK_BYTES } from "./format.ts";
import { encodeTermSection } from "./term-writer.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { PAIR_SEPARATOR, type FieldValueSource } from "./types.ts";

const encoder = new TextEncoder();
const utf8Len = (s: string) => encoder.encode(s).length;

/** Records of `perRecord` pairs each from a flat list of "k=v" texts. */
function pairRecords(pairs: string[], perRecord = 100): TestRecord[] {
  const out: TestRecord[] = [];
  for (let i = 0; i < pairs.length; i += perRecord) out.push({ raw: encoder.encode(pairs.slice(i, i + perRecord).join(" ")), attrs: {} });
  return out;
}

/** The message key=value index of `sections` as the tests read it. */
async function kvOf(sections: Map<string, { bytes: Uint8Array }>) {
  const kv = await openBuiltKv(sections);
  return { status: kv.status!, keys: kv.keys!, values: kv.values!, pairs: kv.pairs!, overflow: kv.overflow! };
}

async function buildKv(records: TestRecord[], budget = 10 * 1024 * 1024) {
  const sections = runBuilders([new MessageKvIndexBuilder(budget)], records, 64);
  const m = await kvOf(sections);
  return { status: sections.get(MSGKV_SECTION)!.status, sectionStatus: m.status, counts: [m.keys.termCount, m.values.termCount, m.pairs.termCount] };
}

const range = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const values = (n: number, key = "k") => range(n, (i) => `${key}=v${i}`);
const grid = (keys: number, vals: number) => range(keys, (k) => values(vals, `key${k}`)).flat();

describe("message KV hard caps", () => {
  const capped = { status: "capped", sectionStatus: "capped" as const, counts: [0, 0, 0] };
  const cases: [string, string[], Awaited<ReturnType<typeof buildKv>>][] = [
    ["exactly MaxUniqueKeys keys", range(MAX_UNIQUE_KEYS, (i) => `key${i}=v`), { status: "complete", sectionStatus: "complete" as const, counts: [MAX_UNIQUE_KEYS, 1, MAX_UNIQUE_KEYS] }],
    ["one key more", range(MAX_UNIQUE_KEYS + 1, (i) => `key${i}=v`), capped],
    ["exactly MaxValuesPerKey values", values(MAX_VALUES_PER_KEY), { status: "complete", sectionStatus: "complete" as const, counts: [1, MAX_VALUES_PER_KEY, MAX_VALUES_PER_KEY] }],
    // Past the per-key cap only that key's pairs go (listed as overflowed), not the whole index;
    // value lookups then scan, so no value is listed.
    ["one value more", values(MAX_VALUES_PER_KEY + 1), { status: "complete", sectionStatus: "complete" as const, counts: [1, 0, 0] }],
    ["case variants are the same value", [...values(MAX_VALUES_PER_KEY), ...range(MAX_VALUES_PER_KEY, (i) => `K=V${i}`)], { status: "complete", sectionStatus: "complete" as const, counts: [1, MAX_VALUES_PER_KEY, MAX_VALUES_PER_KEY] }],
    ["exactly MaxTotalEntries pairs", grid(100, MAX_TOTAL_ENTRIES / 100), { status: "complete", sectionStatus: "complete" as const, counts: [100, 1000, MAX_TOTAL_ENTRIES] }],
    ["then a known pair visited again", [...grid(100, MAX_TOTAL_ENTRIES / 100), "key0=v0"], capped],
  ];
  for (const [name, pairs, want] of cases) {
    test(name, async () => expect(await buildKv(pairRecords(pairs))).toEqual(want));
  }

  test("an overflowed key is listed; other keys keep exact pairs; value lookups become incomplete", async () => {
    const sections = runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET)], pairRecords([...values(MAX_VALUES_PER_KEY + 5), "level=warn", "level=info"], 1), 64);
    const m = await kvOf(sections);
    const overflowed: string[] = [];
    for await (const e of m.overflow.prefix("")) overflowed.push(e.term);
    expect({
      overflowed,
      level: await termPositions(m.overflow, "level"),
      levelWarn: await termPositions(m.pairs, "level\u0000warn"),
      kv1: await termPositions(m.pairs, "k\u0000v1"),
      k: (await termPositions(m.keys, "k"))!.length,
      valuesListed: m.values.termCount,
    }).toEqual({ overflowed: ["k"], level: undefined, levelWarn: [MAX_VALUES_PER_KEY + 5], kv1: undefined, k: MAX_VALUES_PER_KEY + 5, valuesListed: 0 });
  });

  test("a repeat inside the record that reached MaxTotalEntries is not a new visit", async () => {
    const pairs = grid(100, MAX_TOTAL_ENTRIES / 100);
    const records = pairRecords(pairs);
    records[records.length - 1] = { raw: encoder.encode(`${pairs.slice(-100).join(" ")} ${pairs[pairs.length - 1]}`), attrs: {} };
    expect((await buildKv(records)).status).toEqual("complete");
  });
});

/** The budget's greedy prefix computed independently from the oracle map. */
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

describe("message KV budget", () => {
  const pairArb = fc.tuple(fc.constantFrom("a", "bb", "Level", "x.y", "status"), fc.constantFrom("1", "OK", "ok", "info", "Warn", "longer-value-here")).map(([k, v]) => `${k}=${v}`);
  // A line of pairs only is logfmt (its pairs are in the logfmt index): some records lead with a word.
  const recordArb = fc.tuple(fc.boolean(), fc.array(pairArb, { maxLength: 6 })).map(([word, ps]) => ({ raw: encoder.encode((word ? ["event", ...ps] : ps).join(" ")), attrs: {} }));

  test("admitted entries are the greedy prefix; drops make the index lossy", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 30 }), fc.integer({ min: 1, max: 700 }), async (records, budget) => {
        const o = oracle(records);
        const want = { keys: greedy(o.kvKeys, false, budget), values: greedy(o.kvValues, false, budget), pairs: greedy(o.kvPairs, true, budget) };
        const dropped = want.keys.size < o.kvKeys.size || want.values.size < o.kvValues.size || want.pairs.size < o.kvPairs.size;
        const sections = runBuilders(indexSectionBuilders({ kvBudget: budget })(), records, 7);
        const m = await kvOf(sections);
        const got = { status: sections.get(MSGKV_SECTION)!.status, sectionStatus: m.status, keys: await lookupAll(m.keys, o.kvKeys), values: await lookupAll(m.values, o.kvValues), pairs: await lookupAll(m.pairs, o.kvPairs) };
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

  test("default budget keeps a small chunk whole", async () => {
    const records = pairRecords(values(50), 5).map((r) => ({ ...r, raw: encoder.encode(`event ${new TextDecoder().decode(r.raw)}`) }));
    const m = await kvOf(runBuilders(indexSectionBuilders()(), records, 4));
    expect(oracle(records).kvPairs.size).toBe(50);
    expect([m.status, await lookupAll(m.pairs, oracle(records).kvPairs)]).toEqual(["complete", expectedAll(oracle(records).kvPairs)]);
  });
});

describe("message KV spellings", () => {
  const records = ["level=INFO a=1", "level=info", "level=Info level=info", "x=1 level=WARN", "level=warn"].map((raw) => ({ raw: encoder.encode(raw), attrs: {} }));
  const listed = async (source: FieldValueSource | undefined) =>
    source && {
      values: await Promise.all(source.values.map(async (v) => [v.value, [...(await v.positions())]])),
      spellings: await Promise.all(source.spellings.map(async (v) => [v.value, [...(await v.positions())]])),
    };

  test("values as stored, and the records whose first occurrence was written otherwise", async () => {
    const section = (await openBuilt(runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET)], records, 2), MSGKV_SECTION))!;
    expect(await listed(await msgkvIndex.fields!.values(section, "level"))).toEqual({
      values: [["info", [0, 1, 2]], ["warn", [3, 4]]],
      spellings: [["INFO", [0]], ["Info", [2]], ["WARN", [3]]],
    });
    expect(await listed(await msgkvIndex.fields!.values(section, "missing"))).toEqual({ values: [], spellings: [] });
  });

  test("a key with a non-ASCII value is unspelled (JSON fields)", async () => {
    const json = formatIndexType(jsonFormat);
    const built = runBuilders([json.builder({ kvBudget: DEFAULT_KV_BUDGET, blockBytes: DEFAULT_BLOCK_BYTES })], ['{"x":"ünï","y":"Ab"}', '{"x":"a"}'].map((raw) => ({ raw: encoder.encode(raw), attrs: {} })), 2);
    const section = (await openBuilt(built, json.section))!;
    expect(await json.fields!.values(section, "x")).toBeUndefined();
    expect(await listed(await json.fields!.values(section, "y"))).toEqual({ values: [["ab", [0]]], spellings: [["Ab", [0]]] });
  });

  test("a section written before spellings existed cannot list the values of a key it holds", async () => {
    const [keys, values, pairs, empty] = [new TermTable(), new TermTable(), new TermTable(), new TermTable()];
    const add = (t: TermTable, term: string) => (t.startRecord(0), t.add(encoder.encode(term), 0, utf8Len(term)));
    add(keys, "level");
    add(values, "info");
    add(pairs, `level${PAIR_SEPARATOR}info`);
    const built = [keys.build(KEYS_INDEX, [0]), values.build(VALUES_INDEX, [0]), pairs.build(PAIRS_INDEX, [0]), empty.build(OVERFLOW_INDEX, [])];
    const section = (await openBuilt(new Map([[MSGKV_SECTION, { bytes: encodeTermSection("complete", built) }]]), MSGKV_SECTION))!;
    expect(await msgkvIndex.fields!.values(section, "level")).toBeUndefined();
    expect(await msgkvIndex.fields!.values(section, "other")).toEqual({ values: [], spellings: [] });
  });
});

describe("message pairs the logfmt index holds", () => {
  const lines = ["level=info user=Bob", "event level=warn user=bob", 'level=info msg="a=b c"'];
  const records = lines.map((raw) => ({ raw: encoder.encode(raw), attrs: {} }));

  test("are left out of the message index; a chunk's lookups still find every record", async () => {
    const sections = runBuilders(indexSectionBuilders()(), records, 2);
    const m = await kvOf(sections);
    const pairs: string[] = [];
    for await (const e of m.pairs.prefix("")) pairs.push(`${e.term.replace(PAIR_SEPARATOR, "=")} ${[...(await e.positions())]}`);
    const chunk = openChunkIndexes(sectionReader(sections), "complete", testScope());
    const probe = async (key: string, value: string) => {
      const a = await chunk.probe({ kind: "kv", key, value });
      return a.kind === "positions" ? [...a.positions] : a.reason;
    };
    // Only the line that is not logfmt keeps its pairs here.
    expect(pairs).toEqual(["level=warn 1", "user=bob 1"]);
    expect([await probe("level", "info"), await probe("user", "bob"), await probe("level", "warn")]).toEqual([[0, 2], [0, 1], [1]]);
  });

  test("a builder without a covering source keeps them all", async () => {
    const m = await kvOf(runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET)], records, 2));
    expect(await termPositions(m.pairs, `level${PAIR_SEPARATOR}info`)).toEqual([0, 2]);
  });
});
