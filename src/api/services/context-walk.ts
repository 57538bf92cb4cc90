/**
 * GetContext: the records just before and after one record in storage order, crossing chunk
 * boundaries, unfiltered. Opens only the chunks it steps into and closes them afterwards.
 */

import { LogError } from "../../core/errors.ts";
import type { RecordRef } from "../../core/record.ts";
import { orderedChunks, type SearchSource } from "../../query/engine/source.ts";
import type { SearchHit } from "../../query/engine/types.ts";
import type { ChunkMeta, ChunkReader, ChunkStore } from "../../storage/types.ts";

/** Most records asked for on either side of the anchor. */
export const MAX_CONTEXT = 10_000;

export interface ContextResult {
  before: SearchHit[];
  anchor: SearchHit;
  after: SearchHit[];
}

export function contextAround(src: SearchSource<ChunkStore>, ref: RecordRef, before: number, after: number): ContextResult {
  if (before > MAX_CONTEXT || after > MAX_CONTEXT) {
    throw new LogError("invalid_argument", `context of ${Math.max(before, after)} records asked; at most ${MAX_CONTEXT} on each side`);
  }
  const chunks: ChunkMeta[] = orderedChunks(src, false);
  const at = chunks.findIndex((c) => c.id === ref.chunk);
  if (at < 0) throw new LogError("not_found", `chunk '${ref.chunk}' is not in store '${src.name}'`);
  const readers = new Map<number, ChunkReader>();
  const reader = (ci: number): ChunkReader => {
    let r = readers.get(ci);
    if (!r) readers.set(ci, (r = src.store.open(chunks[ci]!.id)));
    return r;
  };
  const hit = (ci: number, pos: number, context: boolean): SearchHit => ({ store: src.name, ref: { chunk: chunks[ci]!.id, pos }, record: reader(ci).record(pos), context });
  try {
    if (ref.pos >= reader(at).count()) throw new LogError("not_found", `chunk '${ref.chunk}' has ${reader(at).count()} records; position ${ref.pos} does not exist`);
    const out: ContextResult = { before: [], anchor: hit(at, ref.pos, false), after: [] };
    for (let ci = at, pos = ref.pos; out.before.length < before; ) {
      if (--pos < 0) {
        if (--ci < 0) break;
        pos = reader(ci).count();
        continue;
      }
      out.before.push(hit(ci, pos, true));
    }
    out.before.reverse();
    for (let ci = at, pos = ref.pos; out.after.length < after; ) {
      if (++pos >= reader(ci).count()) {
        if (++ci >= chunks.length) break;
        pos = -1;
        continue;
      }
      out.after.push(hit(ci, pos, true));
    }
    return out;
  } finally {
    for (const r of readers.values()) r.close();
  }
}
