/**
 * GELF UDP chunk reassembly. A chunk is `1e 0f | message id (8) | seq (1) | count (1) | data`
 * with count 1..128 and seq < count; chunks may arrive out of order or twice, and a set may
 * end in an empty chunk (gelf-pro). Complete sets are concatenated; sets not complete within
 * the timeout are dropped as "incomplete", the oldest set is evicted when too many are open.
 * Pure except for the caller-supplied clock values; every chunk is accounted in a drop or a
 * completed message.
 */

import type { DropReason } from "../../pipeline/counters.ts";

export const CHUNK_MAGIC_0 = 0x1e;
export const CHUNK_MAGIC_1 = 0x0f;
/** Bytes before the chunk data. */
export const CHUNK_HEADER = 12;
/** Most chunks per message (GELF spec). */
export const MAX_CHUNKS = 128;

/** Receives drops: `n` is 1 for a lost message or a rejected chunk (the set may still complete). */
export type DropSink = (reason: DropReason, n: number, bytes: number) => void;

interface ChunkSet {
  parts: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
  firstSeen: number;
}

export interface AssemblerOptions {
  /** Microseconds a set may stay incomplete. Default 5 s (Graylog's default). */
  timeoutMicros?: number;
  /** Most sets open at once. Default 4096. */
  maxSets?: number;
}

export class GelfChunkAssembler {
  private readonly sets = new Map<bigint, ChunkSet>();
  private readonly timeout: number;
  private readonly maxSets: number;

  constructor(o: AssemblerOptions = {}) {
    this.timeout = o.timeoutMicros ?? 5_000_000;
    this.maxSets = o.maxSets ?? 4096;
  }

  /** Sets waiting for more chunks. */
  get open(): number {
    return this.sets.size;
  }

  /**
   * Adds one chunk datagram (magic already checked by the caller). Returns the whole message
   * when this chunk completed its set, else undefined.
   */
  add(d: Uint8Array, now: number, drop: DropSink): Uint8Array | undefined {
    if (d.length < CHUNK_HEADER) {
      drop("protocol", 1, d.length);
      return undefined;
    }
    const seq = d[10]!;
    const count = d[11]!;
    if (count === 0 || count > MAX_CHUNKS || seq >= count) {
      drop("protocol", 1, d.length);
      return undefined;
    }
    const data = d.subarray(CHUNK_HEADER);
    if (count === 1) return data;
    const id = new DataView(d.buffer, d.byteOffset + 2, 8).getBigUint64(0);
    let set = this.sets.get(id);
    if (!set) {
      if (this.sets.size >= this.maxSets) this.evictOldest(drop);
      set = { parts: new Array<Uint8Array | undefined>(count), received: 0, bytes: 0, firstSeen: now };
      this.sets.set(id, set);
    } else if (set.parts.length !== count) {
      drop("protocol", 1, d.length);
      return undefined;
    }
    if (set.parts[seq] !== undefined) {
      drop("duplicate_chunk", 1, d.length);
      return undefined;
    }
    set.parts[seq] = data;
    set.received++;
    set.bytes += data.length;
    if (set.received < count) return undefined;
    this.sets.delete(id);
    return Buffer.concat(set.parts as Uint8Array[], set.bytes);
  }

  /** Drops sets older than the timeout; returns how many. Call periodically. */
  expire(now: number, drop: DropSink): number {
    let n = 0;
    for (const [id, set] of this.sets) {
      if (now - set.firstSeen < this.timeout) break;
      this.sets.delete(id);
      drop("incomplete", 1, set.bytes + set.received * CHUNK_HEADER);
      n++;
    }
    return n;
  }

  /** Drops every open set (receiver stop). */
  clear(drop: DropSink): void {
    for (const set of this.sets.values()) drop("incomplete", 1, set.bytes + set.received * CHUNK_HEADER);
    this.sets.clear();
  }

  private evictOldest(drop: DropSink): void {
    const first = this.sets.entries().next();
    if (first.done) return;
    const [id, set] = first.value;
    this.sets.delete(id);
    drop("evicted", 1, set.bytes + set.received * CHUNK_HEADER);
  }
}
