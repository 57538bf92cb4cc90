import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { indexSectionBuilders } from "./builders.ts";
import { expectedAll, lookupAll, openBuiltIndexes, oracle, runBuilders, type TestRecord } from "./index-test-support.ts";

const DIR = join(import.meta.dir, "../../../shared/data/loghub");
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith(".log")).sort() : [];

/** One record per line; attrs shared per file, plus one that varies with the line. */
function records(file: string): TestRecord[] {
  const shared = { File: file, source: "LogHub" };
  const lines = readFileSync(join(DIR, file)).toString("latin1").split("\n").filter((l) => l.length > 0);
  const enc = (l: string) => Uint8Array.from(l, (c) => c.charCodeAt(0));
  return lines.map((l, i) => ({ raw: enc(l), attrs: i % 7 === 0 ? { ...shared, Shard: `S${i % 3}` } : shared }));
}

describe("loghub files", () => {
  if (files.length === 0) {
    test.skip(`loghub data absent at ${DIR}: skipped`, () => {});
    return;
  }
  test.each(files)("%s: every index answers like the oracle", (file) => {
    const recs = records(file);
    const o = oracle(recs);
    const { tokens, attr, kv } = openBuiltIndexes(runBuilders(indexSectionBuilders()(), recs, 500));
    expect({
      status: kv.status,
      tokens: lookupAll(tokens, o.tokens),
      attrKeys: lookupAll(attr.keys, o.attrKeys),
      attrValues: lookupAll(attr.values, o.attrValues),
      attrPairs: lookupAll(attr.pairs, o.attrPairs),
      kvKeys: lookupAll(kv.keys!, o.kvKeys),
      kvValues: lookupAll(kv.values!, o.kvValues),
      kvPairs: lookupAll(kv.pairs!, o.kvPairs),
    }).toEqual({
      status: "complete",
      tokens: expectedAll(o.tokens),
      attrKeys: expectedAll(o.attrKeys),
      attrValues: expectedAll(o.attrValues),
      attrPairs: expectedAll(o.attrPairs),
      kvKeys: expectedAll(o.kvKeys),
      kvValues: expectedAll(o.kvValues),
      kvPairs: expectedAll(o.kvPairs),
    });
  });
});
