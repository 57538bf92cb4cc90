import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { indexSectionBuilders } from "./builders.ts";
import { everyExpected, everyLookup, openBuilt, openBuiltIndexes, oracle, runBuilders, type TestRecord } from "./index-test-support.ts";
import { FORMAT_FIELDS } from "./format-fields.ts";
import { formatSection } from "./format-index.ts";
import { MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";

const DIR = join(import.meta.dir, "../../../shared/data/loghub");
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith(".log")).sort() : [];

/** One record per line; attrs shared per file, plus one that varies with the line. */
function records(file: string): TestRecord[] {
  const shared = { File: file, source: "LogHub" };
  const lines = readFileSync(join(DIR, file)).toString("latin1").split("\n").filter((l) => l.length > 0);
  const enc = (l: string) => Uint8Array.from(l, (c) => c.charCodeAt(0));
  return lines.map((l, i) => ({ raw: enc(l), attrs: i % 7 === 0 ? { ...shared, Shard: `S${i % 3}` } : shared }));
}

/** Whether a key overflowed in the message or a format key=value section. */
async function anyOverflow(sections: Map<string, { bytes: Uint8Array }>): Promise<boolean> {
  for (const name of [MSGKV_SECTION, ...FORMAT_FIELDS.map(formatSection)]) {
    if (((await openBuilt(sections, name))!.index(OVERFLOW_INDEX)?.termCount ?? 0) > 0) return true;
  }
  return false;
}

describe("loghub files", () => {
  if (files.length === 0) {
    test.skip(`every index answers like the oracle (needs ../shared/data/loghub; absent at ${DIR})`, () => {});
    return;
  }
  test.each(files)("%s: every index answers like the oracle", async (file) => {
    const recs = records(file);
    const o = oracle(recs);
    const sections = runBuilders(indexSectionBuilders()(), recs, 500);
    const built = await openBuiltIndexes(sections);
    const want = { status: "complete" as const, ...everyExpected(o) };
    // A key overflowed in any key=value section makes value lookups scan: the message pairs list no values then.
    if (await anyOverflow(sections)) want.kvValues = { termCount: 0, terms: Object.fromEntries([...o.kvValues.keys()].map((v) => [v, undefined])) };
    expect({ status: built.kv.status, ...(await everyLookup(built, o)) }).toEqual(want);
  });
});
