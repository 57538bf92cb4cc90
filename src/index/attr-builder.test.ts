import { expect, test } from "bun:test";
import fc from "fast-check";
import { encodeAttrs } from "../core/attrs-codec.ts";
import { ColumnBatch, EncodedAttrs, ObjectAttrs } from "../storage/column-batch.ts";
import { ATTR_SECTION, AttrIndexBuilder, MAX_MEMO_MAPS } from "./attr-builder.ts";
import { attrIndex } from "./attr-index.ts";
import { openBuilt } from "./index-test-support.ts";

/** The same records as a batch of objects and as a batch of encodings. */
function batches(maps: Record<string, string>[]): [ColumnBatch, ColumnBatch] {
  const n = maps.length;
  const zeros = () => new Float64Array(n);
  const offsets = new Uint32Array(n + 1);
  const encoded = maps.map(encodeAttrs);
  const buf = new Uint8Array(encoded.reduce((s, e) => s + e.length, 0));
  encoded.forEach((e, i) => {
    buf.set(e, offsets[i]);
    offsets[i + 1] = offsets[i]! + e.length;
  });
  const raw = new Uint32Array(n + 1);
  const make = (col: ObjectAttrs | EncodedAttrs) => new ColumnBatch(7, n, new Uint8Array(0), raw, zeros(), zeros(), zeros(), col);
  return [make(new ObjectAttrs(maps, 0)), make(new EncodedAttrs(buf, offsets))];
}

test("building from encoded attributes gives the same section as building from objects", () => {
  const word = fc.constantFrom("Host", "host", "ENV", "prod", "Prod", "é", "web-1", "x", "", "Zoë");
  fc.assert(
    fc.property(fc.array(fc.dictionary(word, word, { maxKeys: 4 }), { maxLength: 40 }), (maps) => {
      const [objects, encoded] = batches(maps);
      expect(encoded.attrBytes).toBeDefined();
      const a = new AttrIndexBuilder();
      a.add(objects);
      const b = new AttrIndexBuilder();
      b.add(encoded);
      expect(b.finish()).toEqual(a.finish());
    }),
    { numRuns: 150 },
  );
});

test("past MAX_MEMO_MAPS distinct maps (a per-record value), encoded attributes still give the section objects give", () => {
  const distinct = Array.from({ length: MAX_MEMO_MAPS + 300 }, (_, i) => ({ seq: String(i), Host: i % 2 ? "Web-1" : "web-1" }));
  // Repeats of a memoised map and of one seen after the memo filled, next to new ones.
  const maps = [...distinct, distinct[3]!, distinct[MAX_MEMO_MAPS + 100]!, { seq: "new", Host: "WEB-1" }, distinct[3]!];
  const [objects, encoded] = batches(maps);
  const a = new AttrIndexBuilder();
  a.add(objects);
  const b = new AttrIndexBuilder();
  b.add(encoded);
  expect(b.finish()).toEqual(a.finish());
});

test("values as written are listed where not lowercase; keys with a non-ASCII value or twice in a map are unspelled", async () => {
  const maps: Record<string, string>[] = [{ Host: "Web-1", env: "é" }, { host: "web-1" }, { Level: "A", level: "a" }, { host: "WEB-2" }];
  for (const batch of batches(maps)) {
    const b = new AttrIndexBuilder();
    b.add(batch);
    const section = (await openBuilt(new Map([[ATTR_SECTION, b.finish()]]), ATTR_SECTION))!;
    const listed = async (key: string) => {
      const s = await attrIndex.fields!.values(section, key);
      return s && { values: await Promise.all(s.values.map(async (v) => [v.value, [...(await v.positions())]])), spellings: await Promise.all(s.spellings.map(async (v) => [v.value, [...(await v.positions())]])) };
    };
    expect({ host: await listed("host"), env: await listed("env"), level: await listed("level"), none: await listed("none") }).toEqual({
      host: { values: [["web-1", [7, 8]], ["web-2", [10]]], spellings: [["WEB-2", [10]], ["Web-1", [7]]] },
      env: undefined,
      level: undefined,
      none: { values: [], spellings: [] },
    });
  }
});
