/**
 * A fixed-size cache of short UTF-8 texts by their bytes, for decoders that meet the same keys
 * and values over and over (OTLP attribute keys, severity texts, scope names): a hit returns
 * the string built last time instead of building it again, and every record then shares one
 * string object per key. Direct-mapped (a colliding text replaces the slot's entry) with the
 * bytes kept in one preallocated arena, so a miss allocates nothing but the string and memory
 * stays bounded whatever the input.
 */

import { utf8Text } from "./utf8.ts";

/** Slots (a power of two). */
const SLOTS = 1024;
/** Longest text cached, in bytes; longer ones are decoded each time. */
const MAX_CACHED_BYTES = 32;

export class TextCache {
  private readonly arena = new Uint8Array(SLOTS * MAX_CACHED_BYTES);
  /** Byte length of each slot's text plus one (0 = empty). */
  private readonly lengths = new Uint8Array(SLOTS);
  private readonly texts: string[] = new Array<string>(SLOTS).fill("");

  /** The text of buf[start, end) (invalid UTF-8 becomes U+FFFD, as utf8Text does). */
  text(buf: Uint8Array, start: number, end: number): string {
    const n = end - start;
    if (n > MAX_CACHED_BYTES) return utf8Text(buf, start, end);
    let h = 0x811c9dc5 ^ n;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h ^ (h >>> 13)) & (SLOTS - 1);
    const arena = this.arena;
    const at = slot * MAX_CACHED_BYTES;
    if (this.lengths[slot] === n + 1) {
      let i = 0;
      while (i < n && arena[at + i] === buf[start + i]) i++;
      if (i === n) return this.texts[slot]!;
    }
    const text = utf8Text(buf, start, end);
    for (let i = 0; i < n; i++) arena[at + i] = buf[start + i]!;
    this.lengths[slot] = n + 1;
    this.texts[slot] = text;
    return text;
  }
}
