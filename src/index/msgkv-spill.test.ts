/**
 * The spill of overflowed keys' pairs (msgkv-spill.ts): a key past the per-key value cap is
 * answered exactly from "spilled_pairs" when the spill budget admits it, and scanned (runtime)
 * when it does not, when one of its values could not be indexed, or when the section predates
 * the spill (no spill indexes); a key another section of the same seal scans is not spilled.
 */

import { describe, expect, test } from "bun:test";
import { openBuilt, runBuilders, type TestRecord } from "./index-test-support.ts";
import { MAX_VALUES_PER_KEY, MSGKV_SECTION, MessageKvIndexBuilder } from "./msgkv-builder.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { SPILL_MAX_VALUE_BYTES, SPILLED_KEYS_INDEX } from "./msgkv-spill.ts";
import { KvSectionGroup } from "./kv-section-group.ts";
import { msgkvIndex } from "./msgkv-index.ts";
import { FORMAT_FIELDS } from "./format-fields.ts";
import { formatIndexType } from "./format-index.ts";
import type { IndexType } from "./index-type.ts";
import { DEFAULT_BLOCK_BYTES } from "./format.ts";
import type { TermSection } from "./section-context.ts";
import type { IndexProbe } from "./types.ts";

const encoder = new TextEncoder();
const VALUES = MAX_VALUES_PER_KEY + 200;

/** Record i holds `k=v<i mod VALUES>` (so values past the cap repeat), `level=info`, and `pad` filler bytes. */
function records(n: number, pad: number, extra: (i: number) => string = () => ""): TestRecord[] {
  return Array.from({ length: n }, (_, i) => ({ raw: encoder.encode(`k=v${i % VALUES} level=info ${extra(i)}${"x".repeat(pad)}`), attrs: {} }));
}

async function section(recs: TestRecord[]): Promise<TermSection> {
  return (await openBuilt(runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET)], recs, 256), MSGKV_SECTION))!;
}

/** The answer to each probe as [kind, positions or reason]. */
async function answers(s: TermSection, probes: IndexProbe[], type: IndexType = msgkvIndex) {
  const out: [string, number[] | string][] = [];
  for (const p of probes) {
    const a = await type.probe(s, p);
    out.push(a.kind === "positions" ? ["positions", [...a.positions]] : ["runtime", a.reason]);
  }
  return out;
}

const N = 2 * VALUES + 10;
const PROBES: IndexProbe[] = [
  { kind: "kv", key: "k", value: "v5" }, // seen before the key overflowed
  { kind: "kv", key: "k", value: `v${VALUES - 1}` }, // seen after
  { kind: "kv", key: "k", value: "nope" },
  { kind: "key_values", key: "k", accept: (v) => v === "v7" || v === `v${VALUES - 2}` },
  { kind: "kv", key: "level", value: "info" },
];
const positionsOf = (value: number) => Array.from({ length: N }, (_, i) => i).filter((i) => i % VALUES === value);

describe("spilled pairs of an overflowed key", () => {
  test("within the budget: key=value and value ranges answered exactly", async () => {
    const s = await section(records(N, 400));
    expect(await answers(s, PROBES)).toEqual([
      ["positions", positionsOf(5)],
      ["positions", positionsOf(VALUES - 1)],
      ["positions", []],
      ["positions", [...positionsOf(7), ...positionsOf(VALUES - 2)].sort((a, b) => a - b)],
      ["positions", Array.from({ length: N }, (_, i) => i)],
    ]);
  });

  test("statistics name the spilled keys", async () => {
    const s = await section(records(N, 400));
    expect((await msgkvIndex.stats(s, N, 5)).warnings).toEqual(["1 key(s) overflowed the per-key value cap, their values are not indexed: k", "1 of them keep their pairs in the spill index (key=value lookups stay exact): k"]);
  });

  test("past the budget (a share of the chunk's raw bytes) the key scans", async () => {
    const s = await section(records(N, 8));
    expect((await answers(s, PROBES)).map(([k, r]) => (k === "runtime" ? r : k))).toEqual(["value_not_indexed", "value_not_indexed", "value_not_indexed", "value_not_indexed", "positions"]);
  });

  test("a value too long to index keeps the key out of the spill (JSON field index)", async () => {
    const json = formatIndexType(FORMAT_FIELDS.find((f) => f.name === "json")!);
    const build = async (long: boolean) => {
      const recs = Array.from({ length: N }, (_, i) => ({ raw: encoder.encode(JSON.stringify({ k: long && i === 3 ? "y".repeat(5000) : `v${i % VALUES}`, pad: "x".repeat(400) })), attrs: {} }));
      const s = (await openBuilt(runBuilders([json.builder({ kvBudget: DEFAULT_KV_BUDGET, blockBytes: DEFAULT_BLOCK_BYTES })], recs, 256), json.section))!;
      return (await answers(s, PROBES.slice(1, 2), json)).map(([k, r]) => (k === "runtime" ? r : r.length));
    };
    expect([await build(false), await build(true)]).toEqual([[positionsOf(VALUES - 1).length], ["value_not_indexed"]]);
  });

  test("a key with values over SPILL_MAX_VALUE_BYTES is not spilled", async () => {
    const long = (i: number) => `v${i % VALUES}`.padEnd(SPILL_MAX_VALUE_BYTES + 1, "x");
    const recs = Array.from({ length: N }, (_, i) => ({ raw: encoder.encode(`k=${long(i)} ${"x".repeat(400)}`), attrs: {} }));
    const a = await msgkvIndex.probe(await section(recs), { kind: "kv", key: "k", value: long(VALUES - 1) });
    expect(a.kind === "runtime" ? a.reason : a.kind).toEqual("value_not_indexed");
  });

  test("a section written before the spill (no spill indexes) scans the overflowed key", async () => {
    const s = await section(records(N, 400));
    const older: TermSection = { ...s, indexes: s.indexes.filter((i) => !i.name.startsWith("spilled_")), index: (name) => (name.startsWith("spilled_") ? undefined : s.index(name)) };
    expect((await answers(older, PROBES)).map(([k, r]) => (k === "runtime" ? r : k))).toEqual(["value_not_indexed", "value_not_indexed", "value_not_indexed", "value_not_indexed", "positions"]);
  });
});

describe("the key=value sections of one seal", () => {
  const json = formatIndexType(FORMAT_FIELDS.find((f) => f.name === "json")!);
  /** Even records `k=v<n>` (message pairs), odd ones JSON {"k":"v<n>"}; with `long`, one JSON value too long to index. */
  const mixed = (long: boolean) =>
    Array.from({ length: 4 * VALUES }, (_, i) => {
      const v = long && i === 3 ? "y".repeat(5000) : `v${(i >> 1) % VALUES}`;
      return { raw: encoder.encode(i % 2 === 0 ? `k=${v} ${"x".repeat(400)}` : JSON.stringify({ k: v, pad: "x".repeat(400) })), attrs: {} };
    });
  /**
   * Spilled keys of the message and JSON sections, built alone or in one KvSectionGroup; fed
   * together, or one at a time (as the split seal's helper builds), message or JSON first.
   */
  const spilled = async (long: boolean, grouped: boolean, order: "together" | "message first" | "json first" = "together") => {
    const group = grouped ? new KvSectionGroup() : undefined;
    const builders = [new MessageKvIndexBuilder(DEFAULT_KV_BUDGET, undefined, undefined, undefined, { group }), json.builder({ kvBudget: DEFAULT_KV_BUDGET, blockBytes: DEFAULT_BLOCK_BYTES }, group && { kv: group })];
    const recs = mixed(long);
    const sections =
      order === "together"
        ? runBuilders(builders, recs, 256)
        : new Map((order === "message first" ? builders : builders.reverse()).flatMap((b) => [...runBuilders([b], recs, 256)]));
    const out: string[][] = [];
    for (const name of [MSGKV_SECTION, json.section]) {
      const keys: string[] = [];
      const index = (await openBuilt(sections, name))!.index(SPILLED_KEYS_INDEX);
      if (index !== undefined) for await (const e of index.prefix("")) keys.push(e.term);
      out.push(keys);
    }
    return out;
  };

  test("a key another section scans (overflowed, not spilled there) is not spilled: its lookups scan anyway", async () => {
    expect(await spilled(true, false)).toEqual([["k"], []]);
    expect(await spilled(true, true)).toEqual([[], []]);
  });

  test("built one at a time, a section sees the sections finished before it", async () => {
    expect(await spilled(true, true, "message first")).toEqual([["k"], []]);
    expect(await spilled(true, true, "json first")).toEqual([[], []]);
    expect(await spilled(false, true, "json first")).toEqual([["k"], ["k"]]);
  });

  test("a key every section spills stays spilled in each", async () => {
    expect(await spilled(false, true)).toEqual([["k"], ["k"]]);
  });

  test("a key overflowed in another section empties this one's values (value lookups scan anyway)", async () => {
    const recs = Array.from({ length: 2 * VALUES }, (_, i) => ({ raw: encoder.encode(i % 2 === 0 ? `event level=l${i % 3}` : JSON.stringify({ k: `v${i}` })), attrs: {} }));
    const valuesListed = async (grouped: boolean) => {
      const group = grouped ? new KvSectionGroup() : undefined;
      const sections = runBuilders([new MessageKvIndexBuilder(DEFAULT_KV_BUDGET, undefined, undefined, undefined, { group }), json.builder({ kvBudget: DEFAULT_KV_BUDGET, blockBytes: DEFAULT_BLOCK_BYTES }, group && { kv: group })], recs, 256);
      return (await openBuilt(sections, MSGKV_SECTION))!.index("values")!.termCount;
    };
    expect([await valuesListed(false), await valuesListed(true)]).toEqual([3, 0]);
  });

  test("a member whose plan fails (its section will be missing) counts as scanning every key", () => {
    const group = new KvSectionGroup();
    const ok = group.join(
      () => ({ scansAll: false, scansValues: false, scanned: new Set(["a"]) }),
      () => 10,
    );
    const broken = group.join(
      () => {
        throw new Error("build failed");
      },
      () => 10,
    );
    group.ready(ok);
    expect([group.scansElsewhere(ok, "k"), group.scansElsewhere(broken, "a"), group.scansElsewhere(broken, "k")]).toEqual([true, true, false]);
  });
});
