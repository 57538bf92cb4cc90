import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Attrs } from "../core/record.ts";
import { indexSectionBuilders } from "./builders.ts";
import { everyExpected, everyLookup, oracle, runBuilders, sectionReader, type TestRecord } from "./index-test-support.ts";
import { openChunkIndexes } from "./open.ts";
import { PAIR_SEPARATOR } from "./types.ts";

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

/** Builds and opens the indexes of `records` fed in batches of `batchSize` from `first`. */
function build(records: TestRecord[], batchSize: number, first = 0, kvBudget?: number) {
  const sections = runBuilders(indexSectionBuilders({ kvBudget })(), records, batchSize, first);
  return { sections, idx: openChunkIndexes(sectionReader(sections), "complete") };
}

describe("index builders versus the oracle", () => {
  test("random records: every term's positions equal, absent terms absent", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.nat(1000), fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), (records, batchSize, first, probes) => {
        const o = oracle(records, first);
        const { sections, idx } = build(records, batchSize, first);
        const all = [o.tokens, o.attrKeys, o.attrPairs, o.kvPairs];
        const absent = probes.flatMap((p) => [p, `${p}~absent`]);
        expect({
          statuses: [...sections.values()].map((s) => s.status),
          errors: idx.errors,
          lossReason: idx.message!.lossReason,
          ...everyLookup(idx, o),
          foundAbsent: [idx.tokens!, idx.attrKeys!, idx.attrPairs!, idx.message!.pairs].flatMap((t, i) => absent.filter((a) => !all[i]!.has(a) && t.get(a) !== undefined)),
        }).toEqual({
          statuses: ["complete", "complete", "complete"],
          errors: [],
          lossReason: "",
          ...everyExpected(o),
          foundAbsent: [],
        });
      }),
      { numRuns: 150 },
    );
  });

  test("hand-written chunk: lowercased values, shared attrs, empty records", () => {
    const shared = { Host: "Web-1", env: "PROD" };
    const records: TestRecord[] = [
      { raw: encoder.encode("ERROR method=GET path=/x"), attrs: shared },
      { raw: new Uint8Array(0), attrs: {} },
      { raw: encoder.encode("error Method=get method=GET"), attrs: shared },
      { raw: encoder.encode("cafe 1234 ok=1"), attrs: { host: "web-1" } },
    ];
    const { idx } = build(records, 3, 10);
    const pair = (k: string, v: string) => k + PAIR_SEPARATOR + v;
    const get = (t: { get(s: string): Uint32Array | undefined } | undefined, s: string) => (t?.get(s) ? Array.from(t.get(s)!) : undefined);
    expect({
      error: get(idx.tokens, "error"),
      cafe: get(idx.tokens, "cafe"),
      method: get(idx.tokens, "method"),
      kvPair: get(idx.message?.pairs, pair("method", "get")),
      kvUpper: get(idx.message?.pairs, pair("method", "GET")),
      kvValue: get(idx.message?.values, "1"),
      hostKey: get(idx.attrKeys, "host"),
      hostPair: get(idx.attrPairs, pair("host", "web-1")),
      envValue: get(idx.attrValues, "prod"),
      counts: [idx.tokens?.termCount, idx.attrKeys?.termCount, idx.attrValues?.termCount, idx.attrPairs?.termCount, idx.message?.pairs.termCount],
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

  test("kvBudget must be a positive integer", () => {
    const bad = [0, -1, 1.5, Number.NaN];
    expect(bad.map((b) => { try { indexSectionBuilders({ kvBudget: b }); return "accepted"; } catch (e) { return (e as { code: string }).code; } })).toEqual(bad.map(() => "invalid_argument"));
  });
});
