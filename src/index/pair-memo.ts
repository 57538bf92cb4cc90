/**
 * The pair a key=value builder recorded last for each field of a source with a few fixed
 * fields (a syslog header: facility, severity, hostname, app...), by the field's value bytes
 * and pair id: a record repeating a field's value is recorded by the id
 * (MessageKvIndexBuilder.fieldPair) without lowercasing, hashing and probing the pair again.
 * The builder gives only pairs whose value is stored as written (lowercase ASCII: no spelling
 * to list), of 1..KV_MAX_LEN bytes. One per builder; ids mean nothing to another.
 */

import { copyBytes } from "../core/bytes/copy.ts";
import { KV_MAX_LEN } from "./kv-extract.ts";

export class PairMemo {
  /** Slot s's value at [s * KV_MAX_LEN, + lengths[s]). */
  private bytes = new Uint8Array(0);
  /** Per slot: the value's length, -1 when none is kept. */
  private lengths = new Int32Array(0);
  private ids = new Int32Array(0);

  /** The pair id kept for field `slot` when its value was src[from, to), else -1. */
  id(slot: number, src: Uint8Array, from: number, to: number): number {
    const n = to - from;
    if (slot >= this.lengths.length || this.lengths[slot] !== n) return -1;
    const bytes = this.bytes;
    const at = slot * KV_MAX_LEN;
    for (let i = 0; i < n; i++) if (bytes[at + i] !== src[from + i]) return -1;
    return this.ids[slot]!;
  }

  /** Keeps pair `id` for field `slot` with value src[from, to), or forgets the slot (id -1: no pair to keep). */
  remember(slot: number, src: Uint8Array, from: number, to: number, id: number): void {
    if (slot >= this.lengths.length) this.grow(slot + 1);
    const n = to - from;
    const keep = id >= 0 && n > 0 && n <= KV_MAX_LEN;
    this.lengths[slot] = keep ? n : -1;
    if (!keep) return;
    copyBytes(this.bytes, slot * KV_MAX_LEN, src, from, to);
    this.ids[slot] = id;
  }

  private grow(slots: number): void {
    const lengths = new Int32Array(slots).fill(-1);
    lengths.set(this.lengths);
    const ids = new Int32Array(slots);
    ids.set(this.ids);
    const bytes = new Uint8Array(slots * KV_MAX_LEN);
    bytes.set(this.bytes);
    this.lengths = lengths;
    this.ids = ids;
    this.bytes = bytes;
  }
}
