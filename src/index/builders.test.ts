import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Attrs } from "../core/record.ts";
import { indexSectionBuilders, type IndexBuildOptions } from "./builders.ts";
import { everyExpected, everyLookup, openBuiltIndexes, oracle, runBuilders, sectionReader, termPositions, testScope, type TermMap, type TestRecord } from "./index-test-support.ts";
import { MSGKV_SECTION } from "./msgkv-builder.ts";
import { openChunkIndexes } from "./open.ts";
import { PAIR_SEPARATOR, type IndexProbe, type TermIndex } from "./types.ts";

const encoder = new TextEncoder();

const WORDS = [
  "error", "Error", "ERROR", "warn", "connection", "refused", "cafe", "Face", "dead-beef", "0x1F", "0b", "0xzz",
  "12345", "a1b2", "g1", "x", "k8s-node-07", "supercalifragilisticexpialidocious", "groß", "Zoë", "日本",
  "user_id=12345", "level=INFO", "Level=info", "method=GET", "path=/v2/accounts", "k=v", "K=V", "a=b=c",
  'msg="x y"', "rate=95%", "(err=EOF)", "[code=E42]", "name=Zoë", "ts=2024-01-15T10:30:45Z", "__proto__=1",
  "__proto__", "constructor", "a.b.c=1", "--", "__", "x=", "=y",
];
const SEPARATORS = [" ", ", ", ";", "\t", "/", ":", "\n", "", "é"];

const wordArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF-"), minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1e9 }).map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("k", "K", "host", "id", "a.b"), fc.constantFrom("v", "V", "Val", "x1", "GET")).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
const rawArb = fc.array(fc.tuple(wordArb, fc.constantFrom(...SEPARATORS)), { maxLength: 12 }).map((parts) => encoder.encode(parts.map(([w, s]) => w + s).join("")));
const attrArb: fc.Arbitrary<Attrs> = fc
  .array(fc.tuple(fc.constantFrom("host", "Host", "app", "ENV", "", "__proto__", "zöne"), fc.constantFrom("a", "A", "prod", "Prod", "", "ünï", "x y")), { maxLength: 4 })
  .map((entries) => Object.fromEntries(entries));
const SHARED: Attrs[] = [{}, { host: "a", app: "web" }, { Host: "B", ENV: "Prod" }];
const recordArb: fc.Arbitrary<TestRecord> = fc.record({ raw: rawArb, attrs: fc.oneof(fc.constantFrom(...SHARED), attrArb) });

/** Builds the sections of `records` fed in batches of `batchSize` from `first`, and opens them. */
async function build(records: TestRecord[], batchSize: number, first = 0, options: IndexBuildOptions = {}) {
  const sections = runBuilders(indexSectionBuilders(options)(), records, batchSize, first);
  const built = await openBuiltIndexes(sections);
  const { tokens, attr, kv } = built;
  return { sections, built, tokens, attr, kv: { keys: kv.keys!, values: kv.values!, pairs: kv.pairs! }, chunk: openChunkIndexes(sectionReader(sections), "complete", testScope()) };
}

/** What prefix(p) of `idx` lists, as [term, count, positions]. */
async function listed(idx: TermIndex, p: string): Promise<[string, number, number[]][]> {
  const out: [string, number, number[]][] = [];
  for await (const e of idx.prefix(p)) out.push([e.term, e.count, Array.from(await e.positions())]);
  return out;
}

/** The terms of `probes` that `idx` finds although `expected` does not hold them. */
async function foundAbsent(idx: TermIndex, expected: TermMap, probes: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const a of probes) if (!expected.has(a) && (await idx.get(a)) !== undefined) found.push(a);
  return found;
}

/** The oracle's terms starting with `p`, in byte order, as listed() gives them. */
function expectedPrefix(m: TermMap, p: string): [string, number, number[]][] {
  const byteOrder = (a: string, b: string) => Buffer.compare(encoder.encode(a), encoder.encode(b));
  return [...m.keys()].filter((t) => t.startsWith(p)).sort(byteOrder).map((t) => [t, m.get(t)!.length, m.get(t)!]);
}

/** Block targets: the default, a few bytes (a block per term or two), and small ones. */
const blockBytesArb = fc.constantFrom(undefined, 1, 7, 64, 300);

describe("index builders versus the oracle", () => {
  test("random records, any block size: every term's positions equal, absent terms absent, prefix ranges exact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.nat(1000), fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), blockBytesArb, async (records, batchSize, first, probes, blockBytes) => {
        const o = oracle(records, first);
        const b = await build(records, batchSize, first, { blockBytes });
        const checked = [b.tokens, b.attr.keys, b.attr.pairs, b.kv.pairs];
        const all = [o.tokens, o.attrKeys, o.attrPairs, o.kvPairs];
        const absent = probes.flatMap((p) => [p, `${p}~absent`]);
        const prefixes = ["", ...probes.map((p) => p.slice(0, 1)), ...[...o.tokens.keys()].slice(0, 3).map((t) => t.slice(0, 2))];
        const found: string[] = [];
        for (let i = 0; i < checked.length; i++) found.push(...(await foundAbsent(checked[i]!, all[i]!, absent)));
        const listings = async (idx: TermIndex) => Promise.all(prefixes.map((p) => listed(idx, p)));
        expect({
          statuses: [...b.sections.values()].map((s) => s.status),
          ...(await everyLookup(b.built, o)),
          foundAbsent: found,
          tokenPrefixes: await listings(b.tokens),
          keyPrefixes: await listings(b.attr.keys),
        }).toEqual({
          statuses: ["complete", "complete", "complete", "complete", "complete", "complete", "complete"],
          ...everyExpected(o),
          foundAbsent: [],
          tokenPrefixes: prefixes.map((p) => expectedPrefix(o.tokens, p)),
          keyPrefixes: prefixes.map((p) => expectedPrefix(o.attrKeys, p)),
        });
      }),
      { numRuns: 150 },
    );
  });

  test("hand-written chunk: lowercased values, shared attrs, empty records", async () => {
    const shared = { Host: "Web-1", env: "PROD" };
    const records: TestRecord[] = [
      { raw: encoder.encode("ERROR method=GET path=/x"), attrs: shared },
      { raw: new Uint8Array(0), attrs: {} },
      { raw: encoder.encode("error Method=get method=GET"), attrs: shared },
      { raw: encoder.encode("cafe 1234 ok=1"), attrs: { host: "web-1" } },
    ];
    const b = await build(records, 3, 10);
    const pair = (k: string, v: string) => k + PAIR_SEPARATOR + v;
    const get = termPositions;
    expect({
      error: await get(b.tokens, "error"),
      cafe: await get(b.tokens, "cafe"),
      method: await get(b.tokens, "method"),
      kvPair: await get(b.kv.pairs, pair("method", "get")),
      kvUpper: await get(b.kv.pairs, pair("method", "GET")),
      kvValue: await get(b.kv.values, "1"),
      hostKey: await get(b.attr.keys, "host"),
      hostPair: await get(b.attr.pairs, pair("host", "web-1")),
      envValue: await get(b.attr.values, "prod"),
      counts: [b.tokens.termCount, b.attr.keys.termCount, b.attr.values.termCount, b.attr.pairs.termCount, b.kv.pairs.termCount],
    }).toEqual({
      error: [10, 12],
      cafe: undefined,
      method: [10, 12],
      kvPair: [10, 12],
      kvUpper: undefined,
      kvValue: [13],
      hostKey: [10, 12, 13],
      hostPair: [10, 12, 13],
      envValue: [10, 12],
      counts: [5, 2, 2, 2, 3],
    });
  });

  test("probes unite the attribute and message key=value indexes and name each in explain notes", async () => {
    const records: TestRecord[] = [
      { raw: encoder.encode("login user=bob"), attrs: { user: "alice" } },
      { raw: encoder.encode("logout user=alice"), attrs: {} },
      { raw: encoder.encode("noise"), attrs: { env: "prod" } },
    ];
    const { chunk } = await build(records, 2);
    const probe = async (p: IndexProbe) => {
      const a = await chunk.probe(p);
      return a.kind === "positions" ? { ...a, positions: Array.from(a.positions) } : a;
    };
    const probes: IndexProbe[] = [
      { kind: "token", token: "login" },
      { kind: "token", token: "absent" },
      { kind: "kv", key: "user", value: "alice" },
      { kind: "key_exists", key: "user" },
      { kind: "value_exists", value: "prod" },
    ];
    const answers = [];
    for (const p of probes) answers.push(await probe(p));
    expect(answers).toEqual([
      { kind: "positions", positions: [0], detail: "token=1" },
      { kind: "positions", positions: [], detail: "token=0" },
      { kind: "positions", positions: [0, 1], detail: "attr_kv=1 msg_kv=1" },
      { kind: "positions", positions: [0, 1], detail: "attr_key=1 msg_key=2" },
      { kind: "positions", positions: [2], detail: "attr_val=1 msg_val=0" },
    ]);
    expect(chunk.read.reads).toBeGreaterThan(0);
  });

  test("a chunk without a message key=value section answers kv probes with a runtime check", async () => {
    const sections = runBuilders(indexSectionBuilders()(), [{ raw: encoder.encode("a=b"), attrs: {} }], 1);
    sections.delete(MSGKV_SECTION);
    const chunk = openChunkIndexes(sectionReader(sections), "complete", testScope());
    expect([await chunk.probe({ kind: "kv", key: "a", value: "b" }), (await chunk.probe({ kind: "token", token: "a" })).kind]).toEqual([
      { kind: "runtime", reason: "index_missing", detail: "no attribute or message key=value or JSON field or access log field or syslog field or logfmt field index" },
      "positions",
    ]);
  });

  test("kvBudget must be a positive integer, blockBytes an integer in range", () => {
    const bad: IndexBuildOptions[] = [{ kvBudget: 0 }, { kvBudget: -1 }, { kvBudget: 1.5 }, { kvBudget: Number.NaN }, { blockBytes: 0 }, { blockBytes: 2.5 }, { blockBytes: 1 << 20 }];
    expect(bad.map((o) => { try { indexSectionBuilders(o); return "accepted"; } catch (e) { return (e as { code: string }).code; } })).toEqual(bad.map(() => "invalid_argument"));
  });
});
