/**
 * `stats count() by f` answered from the field indexes (aggregate/field-groups.ts) equals the
 * same grouping computed from the records, chunk shape by chunk shape: lowercase values in
 * every format, values written in capitals or in mixed spellings (shown as written, from the
 * spellings indexes), attributes before text fields, and the shapes that must read the chunk —
 * several values in one format, two attributes of the key, non-ASCII values — with filters,
 * time bounds and a JSON null apart from a missing field.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { searchSource } from "../src/app/search-source.ts";
import type { RecordInput } from "../src/core/record.ts";
import { indexSectionBuilders } from "../src/index/builders.ts";
import { tableQuery } from "../src/query/engine/aggregate/table-query.ts";
import { countFieldGroups } from "../src/query/engine/aggregate/field-groups.ts";
import { StatsState } from "../src/query/engine/aggregate/stats.ts";
import type { StatsStage } from "../src/query/lang/pipe-ast.ts";
import type { ChunkIndexes } from "../src/index/types.ts";
import { LogError } from "../src/core/errors.ts";
import type { SearchSource } from "../src/query/engine/source.ts";
import { parseQueryArgs } from "../src/query/lang/controls.ts";
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

/** Chunk shapes, CHUNK records each (the last chunk, active, holds lowercase ones). */
type Shape = (i: number) => { raw: Uint8Array; attrs?: Record<string, string> };
const SHAPES: Record<string, Shape> = {
  lowercase: (i) => ({ raw: enc.encode(lowercase(i)) }),
  capitals: (i) => ({ raw: enc.encode(i % 3 === 0 ? `ts=1 level=INFO n=${i}` : i % 3 === 1 ? `{"level":"Warn"}` : `{"level":null}`) }),
  mixedSpellings: (i) => ({ raw: enc.encode([`level=Warn x=${i}`, `level=warn x=${i}`, `level=WARN level=warn`, `{"level":"warn"} level=ERROR`][i % 4]!) }),
  severalValues: (i) => ({ raw: enc.encode(i % 5 === 0 ? `text level=warn then level=info` : `level=info n=${i}`) }),
  attribute: (i) => ({ raw: enc.encode(`level=info n=${i}`), attrs: i % 7 === 0 ? { Level: "Attr" } : i % 7 === 1 ? { level: "debug" } : ({} as Record<string, string>) }),
  attributeTwice: (i) => ({ raw: enc.encode(`level=info n=${i}`), attrs: i % 7 === 0 ? { Level: "Attr", level: "attr" } : ({} as Record<string, string>) }),
  nonAscii: (i) => ({ raw: enc.encode(i % 2 === 0 ? `level=ünï n=${i}` : `level=info n=${i}`) }),
};

let dir = "";
let store: ChunkStore;
let src: SearchSource;
const chunkOf: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "group-index-"));
  store = await openFileStore(join(dir, "s"), { rotation: { maxRecords: CHUNK }, sectionBuilders: indexSectionBuilders(), durability: { kind: "never" } });
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

async function table(line: string, bounds: { start?: number; end?: number } = {}): Promise<{ rows: unknown[][] }> {
  const q = parseQueryArgs(line, 0);
  const { table } = await tableQuery([src], { expr: q.expr, ...bounds, limit: 0, reverse: false, contextBefore: 0, contextAfter: 0 }, q.stages);
  return { rows: table.rows as unknown[][] };
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

  test("the indexes answer every shape but several values in one format, two attributes of the key, non-ASCII values", async () => {
    const stage = parseQueryArgs("| stats count() by level", 0).stages[0] as StatsStage;
    const answered: Record<string, boolean> = {};
    for (const [i, meta] of store.chunks().entries()) {
      if (meta.state !== "sealed") continue;
      const view = store.open(meta.id);
      const indexes = (await src.indexes(view, meta))!;
      answered[chunkOf[i]!] = await countFieldGroups(indexes, "level", meta.records, { ranges: [[0, meta.records]] }, new StatsState(stage));
      view.close();
    }
    expect(answered).toEqual({ lowercase: true, capitals: true, mixedSpellings: true, attribute: true, severalValues: false, attributeTwice: false, nonAscii: false });
  });

  test("values are shown as written", async () => {
    const at = (shape: string) => T0 + chunkOf.indexOf(shape) * CHUNK * 1_000_000 + 1;
    const rows = async (shape: string) => (await table("* | stats count() by level", { start: at(shape), end: at(shape) + CHUNK * 1_000_000 })).rows;
    expect(await rows("capitals")).toEqual([["INFO", 14], ["Warn", 13], ["null", 13]]);
    expect(await rows("mixedSpellings")).toEqual([["WARN", 10], ["Warn", 10], ["warn", 20]]);
    expect(await rows("attribute")).toEqual([["Attr", 6], ["debug", 6], ["info", 28]]);
  });
});

test("an index that cannot be read adds nothing (the chunk is then read)", async () => {
  const stage = parseQueryArgs("| stats count() by level", 0).stages[0] as StatsStage;
  const part = new StatsState(stage);
  const damaged: ChunkIndexes = {
    status: "complete",
    read: { bytes: 0, reads: 0 },
    probe: () => Promise.reject(new LogError("corrupt", "damaged")),
    fieldValues: () => Promise.reject(new LogError("corrupt", "damaged")),
  };
  const unreadableList: ChunkIndexes = { ...damaged, fieldValues: async () => [{ values: [{ value: "info", positions: () => Promise.reject(new LogError("corrupt", "damaged")) }], spellings: [] }] };
  expect([await countFieldGroups(damaged, "level", 10, { ranges: [[0, 10]] }, part), await countFieldGroups(unreadableList, "level", 10, { ranges: [[0, 10]] }, part), part.groups.size]).toEqual([false, false, 0]);
});
