/**
 * A byte-budgeted LRU of decoded segment blocks, shared by the readers of one store so warm
 * queries do not decompress the same blocks again. Keys are (segment path, block index); the
 * cost of an entry is its decoded body size. Evicted blocks stay valid for batches handed out.
 */

import type { DecodedBlock } from "./block.ts";

/** Default budget per store: about 64 one-MiB blocks. */
export const DEFAULT_BLOCK_CACHE_BYTES = 64 << 20;

interface Entry {
  block: DecodedBlock;
  bytes: number;
}

export class BlockCache {
  private readonly entries = new Map<string, Entry>();
  private used = 0;

  constructor(readonly maxBytes = DEFAULT_BLOCK_CACHE_BYTES) {}

  get(path: string, index: number): DecodedBlock | undefined {
    const key = `${path}#${index}`;
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.block;
  }

  set(path: string, index: number, block: DecodedBlock, bytes: number): void {
    const key = `${path}#${index}`;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { block, bytes });
    this.used += bytes;
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }

  /** Drops every block of the segment at `path` (deleted or found corrupt). */
  evictSegment(path: string): void {
    const prefix = `${path}#`;
    for (const [k, e] of this.entries) {
      if (!k.startsWith(prefix)) continue;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }

  /** Bytes of decoded blocks held. */
  get bytes(): number {
    return this.used;
  }
}
