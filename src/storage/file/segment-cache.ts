/**
 * Keeps recently used sealed segments open (mapped, with their decoded-block caches) across
 * queries, so a warm query does not re-map files or re-decompress blocks. Evicted readers are
 * only dropped, never closed: a query may still hold them, and the mapping goes with the GC.
 */

import type { ChunkId } from "../../core/ids.ts";
import type { SegmentReader } from "../segment/reader.ts";

/** Segments kept open per store. */
export const OPEN_SEGMENTS = 64;

export class SegmentCache {
  private readonly open = new Map<ChunkId, SegmentReader>();

  constructor(private readonly capacity = OPEN_SEGMENTS) {}

  /** The cached reader of `id`, or a new one from `load` (which may throw). */
  get(id: ChunkId, load: () => SegmentReader): SegmentReader {
    let seg = this.open.get(id);
    if (seg) {
      this.open.delete(id);
    } else {
      seg = load();
      if (this.open.size >= this.capacity) this.open.delete(this.open.keys().next().value!);
    }
    this.open.set(id, seg);
    return seg;
  }

  evict(id: ChunkId): void {
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }
}
