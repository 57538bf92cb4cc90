/**
 * `stats count() by f` answered from the field indexes (aggregate/field-groups.ts) equals the
 * same grouping computed from the records, chunk shape by chunk shape: lowercase values in
 * every format (no block decompressed), values written in capitals or in mixed spellings
 * (shown as written, from the spellings index), and the shapes that must read the chunk —
 * several values in one record, an attribute holding the key, non-ASCII values — with filters,
 * time bounds and a JSON null apart from a missing field.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { searchSource } from "../src/app/stores.ts";
import type { RecordInput } from "../src/core/record.ts";
import { indexSectionBuilders } from "../src/index/builders.ts";
import { withQueryCost, type QueryCost } from "../src/observability/query-cost.ts";
import { tableQuery } from "../src/query/engine/aggregate/table-query.ts";
import type { SearchSource } from "../src/query/engine/source.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
import { ByteCache } from "../src/storage/byte-cache.ts";
import { openFileStore } from "../src/storage/file/open-store.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChunkStore } from "../src/storage/types.ts";

const enc = new TextEncoder();
const T0 = 1_700_000_000_000_000;
const CHUNK = 40;

/** Lowercase values in JSON, logfmt and free-text key=value records, and records without the field. */
const lowercase = (i: number): string =>
  [`{"level":"${["info", "warn"][(i >> 2) % 2]}","n":${i}}`, `ts=1 level=${["error", "info"][(i >> 2) % 2]} n=${i}`, `request done level=debug n=${i}`, `no field here ${i}`][i % 4]!;

/** Chunk shapes, CHUNK records each (the last chunk, active, holds lowercase ones); the index answers the first three. */
type Shape = (i: number) => { raw: Uint8Array; attrs?: Record<string, string> };
const SHAPES: Record<string, Shape> = {
  lowercase: (i) => ({ raw: enc.encode(lowercase(i)) }),
  capitals: (i) => ({ raw: enc.encode(i % 3 === 0 ? `ts=1 level=INFO n=${i}` : i % 3 === 1 ? `{"level":"Warn"}` : `{"level":null}`) }),
  mixedSpellings: (i) => ({ raw: enc.encode([`level=Warn x=${i}`, `level=warn x=${i}`, `level=WARN level=warn`, `{"level":"warn"} level=ERROR`][i % 4]!) }),
  severalValues: (i) => ({ raw: enc.encode(i % 5 === 0 ? `text level=warn then level=info` : `level=info n=${i}`) }),
  attribute: (i) => ({ raw: enc.encode(`level=info n=${i}`), attrs: i % 7 === 0 ? { Level: "Attr" } : ({} as Record<string, string>) }),
  nonAscii: (i) => ({ raw: enc.encode(i % 2 === 0 ? `level=ünï n=${i}` : `level=info n=${i}`) }),
};

let dir = "";
let store: ChunkStore;
let src: SearchSource;
const chunkOf: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "group-index-"));
  store = await openFileStore(join(dir, "s"), { rotation: { maxRecords: CHUNK }, sectionBuilders: indexSectionBuilders(), durability: { kind: "never" }, cache: new ByteCache(0) }); // nothing cached: every block read is counted
  let t = T0;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const records: RecordInput[] = Array.from({ length: CHUNK }, (_, i) => ({ attrs: shape(i).attrs ?? {}, raw: shape(i).raw, sourceTs: (t += 1_000_000), ingestTs: t }));
    await store.append(records);
    chunkOf.push(name);
  }
  await store.append(Array.from({ length: 5 }, (_, i) => ({ attrs: {}, raw: enc.encode(lowercase(i)), sourceTs: (t += 1_000_000), ingestTs: t })));
  await store.idle();
  src = searchSource("default", store);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function table(line: string, bounds: { start?: number; end?: number } = {}): Promise<{ rows: unknown[][]; blocks: number }> {
  const q = parseQueryArgs(line, 0);
  const cost: QueryCost = { blocks: 0, bytes: 0 };
  const { table } = await withQueryCost(cost, () => tableQuery([src], { expr: q.expr, ...bounds, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages));
  return { rows: table.rows as unknown[][], blocks: cost.blocks };
}

/** The grouping computed from every record (min(_time) keeps count() off the index path). */
async function fromRecords(filter: string, field: string, bounds: { start?: number; end?: number } = {}): Promise<unknown[][]> {
  return (await table(`${filter} | stats count(), min(_time) by ${field}`, bounds)).rows.map((r) => r.slice(0, 2));
}

describe("count() by a field from the indexes", () => {
  test("the store holds one sealed chunk per shape, then an active one", () => {
    expect(store.chunks().map((c): unknown[] => [c.state, c.records])).toEqual([...chunkOf.map(() => ["sealed", CHUNK]), ["active", 5]]);
  });

  test("over every shape, equals the count from records", async () => {
    for (const filter of ["*", "level=warn", "info", "n>5", "level=info OR level=warn"]) {
      for (const field of ["level", "LEVEL", "n", "missing"]) {
        const line = `${filter} | stats count() by ${field}`;
        expect({ line, rows: (await table(line)).rows }).toEqual({ line, rows: await fromRecords(filter, field) });
      }
    }
  });

  test("within time bounds cutting chunks, equals the count from records", async () => {
    const bounds = { start: T0 + 20 * 1_000_000, end: T0 + 150 * 1_000_000 };
    expect((await table("* | stats count() by level", bounds)).rows).toEqual(await fromRecords("*", "level", bounds));
  });

  test("lowercase and consistently spelled values are counted without decompressing a block, as written", async () => {
    const first = chunkOf.indexOf("lowercase");
    const bounds = { start: T0 + first * CHUNK * 1_000_000, end: T0 + (first + 2) * CHUNK * 1_000_000 + 1 };
    const got = await table("* | stats count() by level", bounds);
    expect(got).toEqual({ rows: await fromRecords("*", "level", bounds), blocks: 0 });
    expect(got.rows.map((r) => r[0])).toEqual(["INFO", "Warn", "debug", "error", "info", "null", "warn", null]);
  });

  test("mixed spellings are counted as written, without decompressing a block", async () => {
    const at = chunkOf.indexOf("mixedSpellings");
    const bounds = { start: T0 + at * CHUNK * 1_000_000 + 1, end: T0 + (at + 1) * CHUNK * 1_000_000 + 1 };
    const got = await table("* | stats count() by level", bounds);
    expect(got).toEqual({ rows: [["WARN", 10], ["Warn", 10], ["warn", 20]], blocks: 0 });
  });

  test("several values in a record, an attribute with the key and non-ASCII values read their chunk", async () => {
    for (const shape of ["severalValues", "attribute", "nonAscii"]) {
      const at = chunkOf.indexOf(shape);
      const bounds = { start: T0 + at * CHUNK * 1_000_000 + 1, end: T0 + (at + 1) * CHUNK * 1_000_000 + 1 };
      const got = await table("* | stats count() by level", bounds);
      expect({ shape, rows: got.rows, read: got.blocks > 0 }).toEqual({ shape, rows: await fromRecords("*", "level", bounds), read: true });
    }
  });
});
