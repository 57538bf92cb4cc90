/**
 * The pairs another key=value section holds for the record being indexed, so the message
 * key=value index can leave them out: a key=value lookup unites every section's answer
 * (index/open.ts), and a section that holds a pair either answers it exactly or makes the
 * lookup scan, so a pair the logfmt index holds for a record needs no second copy among the
 * message pairs. Read lazily: only for records where the message extractor finds a pair.
 */

import { KV_MAX_LEN } from "./kv-extract.ts";
import type { PairSink, RecordPairs } from "./msgkv-builder.ts";
import { copyBytes } from "../core/bytes/copy.ts";
import { rangeEquals } from "../core/bytes/equal.ts";

/** Collects one record's pairs (key NUL value, lowercased) from `source` and answers membership. */
export class CoveredPairs implements PairSink {
  readonly scratch = new Uint8Array(2 * KV_MAX_LEN + 1);
  private bytes = new Uint8Array(1024);
  private ends: number[] = [];
  private data: Uint8Array | undefined;
  private start = 0;
  private end = 0;

  constructor(private readonly source: RecordPairs) {}

  /** The record at `data[start, end)` is next; its pairs are read at the first has(). */
  record(data: Uint8Array, start: number, end: number): void {
    this.data = data;
    this.start = start;
    this.end = end;
    this.ends.length = 0;
  }

  /** True when the record's pairs include key NUL value `t[0, length)`. */
  has(t: Uint8Array, length: number): boolean {
    if (this.data !== undefined) {
      const data = this.data;
      this.data = undefined;
      this.source(data, this.start, this.end, this);
    }
    let from = 0;
    for (const to of this.ends) {
      if (to - from === length && rangeEquals(this.bytes, from, t, length)) return true;
      from = to;
    }
    return false;
  }

  /** PairSink: keeps the pair in scratch[0, end). */
  pair(_kl: number, end: number): boolean {
    const at = this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1]!;
    if (at + end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, at + end));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
    }
    copyBytes(this.bytes, at, this.scratch, 0, end);
    this.ends.push(at + end);
    return true;
  }

  /** PairSink: a key whose value cannot be indexed is no pair (the message index keeps its own). */
  overflowKey(): void {}

  /** PairSink: fields the source cannot report are not pairs it holds. */
  drop(): void {}
}
