/**
 * Field keys seen in a store, for completion: the "keys" term lists of the attribute index and
 * the format field indexes (JSON, access log, syslog, logfmt) of the newest sealed chunks, plus
 * the attrs and format fields of the newest records of the active chunk (and of sealed chunks
 * without an attribute index). Bounded work: a few chunks, a few hundred records.
 */

import { errorMessage } from "../core/errors.ts";
import type { ChunkMeta, ChunkSource, ChunkView } from "../storage/types.ts";
import { ByteCache } from "../storage/byte-cache.ts";
import { ATTR_SECTION, KEYS_INDEX } from "./attr-builder.ts";
import { FORMAT_FIELDS, walkFormatFields } from "./format-fields.ts";
import { formatSection } from "./format-index.ts";
import { viewSection } from "./section-context.ts";
import { openTermSection } from "./section.ts";

/** Newest sealed chunks whose keys are read. */
export const KEY_CHUNKS = 8;
/** Newest records sampled from a chunk without an attribute index. */
export const KEY_SAMPLE_RECORDS = 256;
/** Most keys returned. */
export const MAX_KEYS = 1000;

export interface AttributeKeys {
  /** Sorted; index keys are lowercased, sampled keys keep their case (one form per key). */
  keys: string[];
  /** Chunks read. */
  chunks: number;
  /** True when more than `limit` keys were found. */
  truncated: boolean;
  /** Chunks that could not be read (skipped). */
  errors: string[];
}

/** Cache of one listing (the key dictionary is read once, block by block). */
const LISTING_CACHE_BYTES = 1 << 20;

/** Keys of the attribute index (and the format indexes it has) of `view`'s chunk, or undefined without an attribute index. */
async function indexedKeys(view: ChunkView): Promise<string[] | undefined> {
  const attrs = await sectionKeys(view, ATTR_SECTION);
  if (attrs === undefined) return undefined;
  for (const f of FORMAT_FIELDS) attrs.push(...((await sectionKeys(view, formatSection(f))) ?? []));
  return attrs;
}

/** The "keys" term list of section `name` of `view`'s chunk, or undefined when it has none. */
async function sectionKeys(view: ChunkView, name: string): Promise<string[] | undefined> {
  const source = viewSection(view, name);
  if (source === undefined) return undefined;
  const section = await openTermSection({ source, cache: new ByteCache(LISTING_CACHE_BYTES), key: "", stats: { bytes: 0, reads: 0 } });
  const keys = section.index(KEYS_INDEX);
  if (keys === undefined) return undefined;
  const out: string[] = [];
  for await (const e of keys.prefix("")) out.push(e.term);
  return out;
}

/** Keys of the newest `n` records of `view`'s chunk. */
async function sampledKeys(view: ChunkView, n: number): Promise<string[]> {
  const out = new Set<string>();
  const end = view.count();
  for await (const batch of view.batches(Math.max(0, end - n), end)) {
    for (let i = 0; i < batch.count; i++) {
      for (const k of Object.keys(batch.attrs(i))) out.add(k);
      walkFormatFields(batch.data, batch.rawOffsets[i]!, batch.rawOffsets[i + 1]!, (k) => void out.add(k));
    }
  }
  return [...out];
}

/** The chunks to read, newest first: the active chunk and the newest KEY_CHUNKS sealed ones. */
function newestChunks(store: ChunkSource): ChunkMeta[] {
  const all = store.chunks();
  const picked: ChunkMeta[] = [];
  let sealed = 0;
  for (let i = all.length - 1; i >= 0 && sealed < KEY_CHUNKS; i--) {
    const m = all[i]!;
    if (m.state === "active") picked.push(m);
    else if (m.state === "sealed") {
      picked.push(m);
      sealed++;
    }
  }
  return picked;
}

/** Attribute keys of `store` (at most `limit`, default MAX_KEYS). Never throws for a bad chunk. */
export async function attributeKeys(store: ChunkSource, limit = MAX_KEYS): Promise<AttributeKeys> {
  const byLower = new Map<string, string>();
  const errors: string[] = [];
  let chunks = 0;
  for (const m of newestChunks(store)) {
    let view: ChunkView | undefined;
    try {
      view = await store.open(m.id);
      const indexed = m.state === "sealed" ? await indexedKeys(view) : undefined;
      for (const k of indexed ?? []) if (!byLower.has(k)) byLower.set(k, k);
      if (indexed === undefined) for (const k of await sampledKeys(view, KEY_SAMPLE_RECORDS)) byLower.set(k.toLowerCase(), k);
      chunks++;
    } catch (err) {
      errors.push(`chunk ${m.id}: ${errorMessage(err)}`);
    } finally {
      view?.close();
    }
  }
  const keys = [...byLower.values()].sort();
  const max = Math.max(0, limit);
  return { keys: keys.slice(0, max), chunks, truncated: keys.length > max, errors };
}
