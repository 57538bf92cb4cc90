/**
 * Test-only helpers for the index builders: a naive oracle (tokenize / extractKv less the pairs
 * the logfmt index holds / attrs per record -> Map term -> positions), a runner that feeds records to builders in batches, a fake
 * ChunkView exposing the built sections, openers for built sections, and a comparison of an
 * index with an oracle map.
 * Not imported by production code.
 */

import type { Attrs } from "../core/record.ts";
import { ByteCache } from "../storage/byte-cache.ts";
import { LogError } from "../core/errors.ts";
import type { ChunkMeta, ChunkView, RecordBatch, SectionBuilder } from "../storage/types.ts";
import { ATTR_SECTION, KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { extractKv } from "./kv-extract.ts";
import { walkLogfmtFields } from "./logfmt-fields.ts";
import { MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { TOKEN_INDEX, TOKEN_SECTION } from "./token-builder.ts";
import type { IndexCacheScope } from "./open.ts";
import { bytesSection, type TermSection } from "./section-context.ts";
import { openTermSection } from "./section.ts";
import { asciiLower } from "../core/ascii.ts";
import { tokenize } from "./tokenizer.ts";
import { PAIR_SEPARATOR, type TermIndex } from "./types.ts";

export interface TestRecord {
  raw: Uint8Array;
  attrs: Attrs;
}

export type TermMap = Map<string, number[]>;

export interface Oracle {
  tokens: TermMap;
  attrKeys: TermMap;
  attrValues: TermMap;
  attrPairs: TermMap;
  kvKeys: TermMap;
  kvValues: TermMap;
  kvPairs: TermMap;
}

function put(m: TermMap, term: string, pos: number): void {
  const list = m.get(term);
  if (list === undefined) m.set(term, [pos]);
  else if (list[list.length - 1] !== pos) list.push(pos);
}

/** The logfmt fields of `raw` as lowercased key NUL value (what the message pairs leave out). */
function logfmtPairs(raw: Uint8Array): Set<string> {
  const out = new Set<string>();
  walkLogfmtFields(raw, 0, raw.length, (k, v) => void out.add(asciiLower(k) + PAIR_SEPARATOR + asciiLower(v)));
  return out;
}

/** The naive answer for records at positions first, first+1, ... */
export function oracle(records: readonly TestRecord[], first = 0): Oracle {
  const o: Oracle = { tokens: new Map(), attrKeys: new Map(), attrValues: new Map(), attrPairs: new Map(), kvKeys: new Map(), kvValues: new Map(), kvPairs: new Map() };
  records.forEach((r, i) => {
    const pos = first + i;
    for (const t of tokenize(r.raw)) put(o.tokens, t, pos);
    for (const [k0, v0] of Object.entries(r.attrs)) {
      const [k, v] = [asciiLower(k0), asciiLower(v0)];
      put(o.attrKeys, k, pos);
      put(o.attrValues, v, pos);
      put(o.attrPairs, k + PAIR_SEPARATOR + v, pos);
    }
    const inLogfmt = logfmtPairs(r.raw);
    for (const [k, v0] of extractKv(r.raw)) {
      const v = asciiLower(v0);
      if (inLogfmt.has(k + PAIR_SEPARATOR + v)) continue; // the logfmt index holds it
      put(o.kvKeys, k, pos);
      put(o.kvValues, v, pos);
      put(o.kvPairs, k + PAIR_SEPARATOR + v, pos);
    }
  });
  return o;
}

/** One batch of records starting at chunk position `first` (raw packed with a leading gap). */
export function makeBatch(records: readonly TestRecord[], first: number): RecordBatch {
  const total = records.reduce((n, r) => n + r.raw.length, 3);
  const data = new Uint8Array(total).fill(0x41);
  const rawOffsets = new Uint32Array(records.length + 1);
  let off = 3;
  rawOffsets[0] = off;
  records.forEach((r, i) => {
    data.set(r.raw, off);
    rawOffsets[i + 1] = off += r.raw.length;
  });
  const ts = new Float64Array(records.length);
  return { first, count: records.length, data, rawOffsets, writeTs: ts, ingestTs: ts, sourceTs: ts, attrs: (i) => records[i]!.attrs };
}

/** Feeds `records` to `builders` in batches of `batchSize` and returns their finished sections. */
export function runBuilders(builders: readonly SectionBuilder[], records: readonly TestRecord[], batchSize: number, first = 0): Map<string, { bytes: Uint8Array; status: string }> {
  for (let at = 0; at < records.length; at += batchSize) {
    const batch = makeBatch(records.slice(at, at + batchSize), first + at);
    for (const b of builders) b.add(batch);
  }
  return new Map(builders.map((b) => [b.name, b.finish()]));
}

/** A ChunkView whose only working parts are its sections (the built ones, held in memory). */
export function sectionReader(sections: Map<string, { bytes: Uint8Array }>): ChunkView {
  const notHere = (): never => {
    throw new Error("not used by index tests");
  };
  return {
    meta: { id: "test" } as ChunkMeta,
    count: notHere,
    record: notHere,
    batches: notHere,
    blocks: notHere,
    sectionSize: (name) => sections.get(name)?.bytes.length,
    readSection(name, offset, length) {
      const s = sections.get(name);
      if (s === undefined) throw new LogError("not_found", `no section "${name}"`);
      return bytesSection(s.bytes).read(offset, length);
    },
    close: () => {},
  };
}

/** Opens built section `name` through a private cache (undefined when it was not built). */
export async function openBuilt(sections: Map<string, { bytes: Uint8Array }>, name: string): Promise<TermSection | undefined> {
  const s = sections.get(name);
  return s === undefined ? undefined : openTermSection({ source: bytesSection(s.bytes), cache: new ByteCache(), key: `${name}#`, stats: { bytes: 0, reads: 0 } });
}

/** The message key=value section of built sections: its status and term indexes (undefined when not built). */
export async function openBuiltKv(sections: Map<string, { bytes: Uint8Array }>) {
  const kv = await openBuilt(sections, MSGKV_SECTION);
  return { status: kv?.status, keys: kv?.index(KEYS_INDEX), values: kv?.index(VALUES_INDEX), pairs: kv?.index(PAIRS_INDEX), overflow: kv?.index(OVERFLOW_INDEX) };
}

/** The term indexes of built sections, by type: tokens, attribute and message key=value. */
export async function openBuiltIndexes(sections: Map<string, { bytes: Uint8Array }>) {
  const attr = (await openBuilt(sections, ATTR_SECTION))!;
  return {
    tokens: (await openBuilt(sections, TOKEN_SECTION))!.index(TOKEN_INDEX)!,
    attr: { keys: attr.index(KEYS_INDEX)!, values: attr.index(VALUES_INDEX)!, pairs: attr.index(PAIRS_INDEX)! },
    kv: await openBuiltKv(sections),
  };
}

export type BuiltIndexes = Awaited<ReturnType<typeof openBuiltIndexes>>;

/** A cache scope for openChunkIndexes in tests (a private cache). */
export function testScope(): IndexCacheScope {
  return { cache: new ByteCache(), key: "test/" };
}

/** The positions `idx` holds for `term` as an array, or undefined when absent. */
export async function termPositions(idx: TermIndex, term: string): Promise<number[] | undefined> {
  const p = await idx.get(term);
  return p === undefined ? undefined : Array.from(p);
}

/** Every term of `expected` looked up in `idx` (plus its term count), for one toEqual. */
export async function lookupAll(idx: TermIndex, expected: TermMap): Promise<{ termCount: number; terms: Record<string, number[] | undefined> }> {
  const terms: [string, number[] | undefined][] = [];
  for (const term of expected.keys()) terms.push([term, await termPositions(idx, term)]);
  return { termCount: idx.termCount, terms: Object.fromEntries(terms) };
}

/** The oracle map in lookupAll's shape. */
export function expectedAll(expected: TermMap): { termCount: number; terms: Record<string, number[] | undefined> } {
  return { termCount: expected.size, terms: Object.fromEntries(expected) };
}

/** Every built index's answers for the oracle's terms, by index (see everyExpected). */
export async function everyLookup(b: BuiltIndexes, o: Oracle) {
  return {
    tokens: await lookupAll(b.tokens, o.tokens),
    attrKeys: await lookupAll(b.attr.keys, o.attrKeys),
    attrValues: await lookupAll(b.attr.values, o.attrValues),
    attrPairs: await lookupAll(b.attr.pairs, o.attrPairs),
    kvKeys: await lookupAll(b.kv.keys!, o.kvKeys),
    kvValues: await lookupAll(b.kv.values!, o.kvValues),
    kvPairs: await lookupAll(b.kv.pairs!, o.kvPairs),
  };
}

/** What everyLookup must return: the oracle in the same shape. */
export function everyExpected(o: Oracle): Awaited<ReturnType<typeof everyLookup>> {
  return {
    tokens: expectedAll(o.tokens),
    attrKeys: expectedAll(o.attrKeys),
    attrValues: expectedAll(o.attrValues),
    attrPairs: expectedAll(o.attrPairs),
    kvKeys: expectedAll(o.kvKeys),
    kvValues: expectedAll(o.kvValues),
    kvPairs: expectedAll(o.kvPairs),
  };
}
