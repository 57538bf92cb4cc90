import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { indexSectionBuilders } from "./builders.ts";
import { everyExpected, everyLookup, openBuiltIndexes, oracle, runBuilders, type TestRecord } from "./index-test-support.ts";

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
    test.skip(`every index answers like the oracle (needs ../shared/data/loghub; absent at ${DIR})`, () => {});
    return;
  }
  test.each(files)("%s: every index answers like the oracle", async (file) => {
    const recs = records(file);
    const o = oracle(recs);
    const built = await openBuiltIndexes(runBuilders(indexSectionBuilders()(), recs, 500));
    expect({ status: built.kv.status, ...(await everyLookup(built, o)) }).toEqual({ status: "complete", ...everyExpected(o) });
  });
});
