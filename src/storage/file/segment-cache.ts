/**
 * Keeps recently used sealed segments open (descriptor and directory) across queries, so a
 * warm query does not re-open files. Readers are leased: a segment evicted (or its chunk
 * deleted) while a query still reads it stays open until that query releases it, and is closed
 * then — so open readers keep working after a delete, and no descriptor outlives its users.
 */

import type { ChunkId } from "../../core/ids.ts";
import type { SegmentReader } from "../segment/reader.ts";

/** Segments kept open per store. */
export const OPEN_SEGMENTS = 64;

interface Lease {
  seg: SegmentReader;
  users: number;
  cached: boolean;
}

export class SegmentCache {
  private readonly open = new Map<ChunkId, Lease>();
  private readonly leases = new Map<SegmentReader, Lease>();

  constructor(private readonly capacity = OPEN_SEGMENTS) {}

  /** Leases the cached reader of `id`, or a new one from `load` (which may throw). */
  acquire(id: ChunkId, load: () => SegmentReader): SegmentReader {
    let lease = this.open.get(id);
    if (lease) {
      this.open.delete(id);
    } else {
      const seg = load();
      lease = { seg, users: 0, cached: true };
      this.leases.set(seg, lease);
      if (this.open.size >= this.capacity) this.evict(this.open.keys().next().value!);
    }
    this.open.set(id, lease);
    lease.users++;
    return lease.seg;
  }

  /** Ends one lease of `seg`; closes it when it was evicted and this was the last user. */
  release(seg: SegmentReader): void {
    const lease = this.leases.get(seg);
    if (!lease) return;
    lease.users--;
    this.closeIfUnused(lease);
  }

  /** Drops `id` from the cache; it closes once no lease holds it. */
  evict(id: ChunkId): void {
    const lease = this.open.get(id);
    if (!lease) return;
    this.open.delete(id);
    lease.cached = false;
    this.closeIfUnused(lease);
  }

  /** Evicts every segment. */
  clear(): void {
    for (const id of [...this.open.keys()]) this.evict(id);
  }

  /** Segments open now (cached or still leased). */
  get openCount(): number {
    return this.leases.size;
  }

  private closeIfUnused(lease: Lease): void {
    if (lease.cached || lease.users > 0) return;
    this.leases.delete(lease.seg);
    lease.seg.close();
  }
}
