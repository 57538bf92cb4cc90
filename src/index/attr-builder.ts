/**
 * Builds the attribute index section ("idx.attrs": indexes "keys", "values", "pairs") from
 * record attributes: keys and values ASCII-lowercased, pairs as key NUL value,
 * each term once per record. Always complete, no limits. Term ids are worked out once per
 * distinct map — from its encoded bytes when the batch has them (no object per record), else
 * per distinct Attrs object — and reused. Like the pair sections (msgkv-builder.ts) it lists
 * the values as written that are not lowercase ASCII ("spellings") and the keys it cannot
 * spell ("unspelled": a non-ASCII value, or two keys of one map that lowercase alike).
 */

import { ASCII_LOWER, asciiLower } from "../core/ascii.ts";
import { crc32 } from "../core/bytes/checksum.ts";
import { readVarint, type VarintCursor } from "../core/bytes/varint.ts";
import type { Attrs } from "../core/record.ts";
import type { RecordBatch, SectionBuilder } from "../storage/types.ts";
import { encodeTermSection, type TermIndexInput } from "./term-writer.ts";
import { collectDropped, TermTable } from "./term-table.ts";
import { SPELLINGS_INDEX, UNSPELLED_INDEX } from "./spellings.ts";
import { bytesEqual } from "../core/bytes/equal.ts";

export const ATTR_SECTION = "idx.attrs";
export const KEYS_INDEX = "keys";
export const VALUES_INDEX = "values";
export const PAIRS_INDEX = "pairs";

const encoder = new TextEncoder();
/**
 * Most distinct maps (encoded, or objects by identity) whose term ids are memoised per seal;
 * later new maps are interned per record. A map that holds a per-record value (HTTP NDJSON `seq`, a request id) is never
 * seen again, and memoising every one (a copy of its bytes, its ids, a bucket entry) made the
 * section the seal's main cost: a 64 MiB chunk of 450k such records took 4.8 of the seal's 6.2
 * CPU-s and ~750 MiB of its peak RSS.
 */
export const MAX_MEMO_MAPS = 4096;

/** SectionBuilder for "idx.attrs"; always finishes "complete". */
export class AttrIndexBuilder implements SectionBuilder {
  readonly name = ATTR_SECTION;
  private readonly keys = new TermTable();
  private readonly values = new TermTable();
  private readonly pairs = new TermTable();
  private readonly spellings = new TermTable();
  /** Spelling id -> key id. */
  private readonly spellingKey: number[] = [];
  private readonly unspelled = new Set<number>();
  private readonly memo = new WeakMap<Attrs, Int32Array>();
  /** Encoded map -> term ids, bucketed by CRC-32 of the encoding. */
  private readonly byBytes = new Map<number, { bytes: Uint8Array; ids: Int32Array }[]>();
  private memoMaps = 0;
  private scratch = new Uint8Array(256);

  /** `blockBytes`: dictionary block target (term-writer.ts); default the format's. */
  constructor(private readonly blockBytes?: number) {}

  add(batch: RecordBatch): void {
    let last: Attrs | undefined;
    let lastView: Uint8Array | undefined;
    let ids: Int32Array = new Int32Array(0);
    for (let i = 0; i < batch.count; i++) {
      if (batch.attrBytes !== undefined) {
        const view = batch.attrBytes(i);
        if (view !== lastView) {
          lastView = view;
          ids = this.idsOfEncoded(view);
        }
      } else {
        const attrs = batch.attrs(i);
        if (attrs !== last) {
          last = attrs;
          ids = this.memo.get(attrs) ?? this.intern(attrs);
        }
      }
      const pos = batch.first + i;
      this.keys.startRecord(pos);
      this.values.startRecord(pos);
      this.pairs.startRecord(pos);
      this.spellings.startRecord(pos);
      for (let k = 0; k < ids.length; k += 4) {
        this.keys.addId(ids[k]!);
        this.values.addId(ids[k + 1]!);
        this.pairs.addId(ids[k + 2]!);
        if (ids[k + 3]! >= 0) this.spellings.addId(ids[k + 3]!);
      }
    }
  }

  finish(): { bytes: Uint8Array; status: "complete" } {
    return { bytes: encodeTermSection("complete", this.indexes(), { blockBytes: this.blockBytes }), status: "complete" };
  }

  /**
   * The section's indexes, each built when the writer asks for it: with a per-record value (HTTP
   * `seq`) "values" and "pairs" hold a term per record, and building them one after the other,
   * from tables stripped of their add-only parts first and with the memory of "values" collected
   * before "pairs" builds, keeps one of their builds at a time, not both.
   */
  private *indexes(): Generator<TermIndexInput> {
    collectDropped(this.keys.endAdds() + this.values.endAdds() + this.pairs.endAdds() + this.spellings.endAdds());
    yield this.keys.build(KEYS_INDEX, this.keys.sortedIds());
    const values = this.values.build(VALUES_INDEX, this.values.sortedIds());
    collectDropped(this.values.release());
    yield values;
    const pairs = this.pairs.build(PAIRS_INDEX, this.pairs.sortedIds());
    this.pairs.release();
    yield pairs;
    yield this.spellings.build(SPELLINGS_INDEX, this.spellings.sortedIds().filter((sid) => !this.unspelled.has(this.spellingKey[sid]!)));
    const unspelled = this.keys.build(UNSPELLED_INDEX, this.keys.sortedIds().filter((kid) => this.unspelled.has(kid)));
    this.keys.release();
    yield unspelled;
  }

  /** Term ids of an encoded map (attrs-codec layout), memoised by its bytes (the first MAX_MEMO_MAPS maps). */
  private idsOfEncoded(bytes: Uint8Array): Int32Array {
    const crc = crc32(bytes);
    const bucket = this.byBytes.get(crc);
    if (bucket !== undefined) for (const e of bucket) if (bytesEqual(e.bytes, bytes)) return e.ids;
    const cur: VarintCursor = { pos: 0 };
    const count = readVarint(bytes, cur);
    const ids = new Int32Array(count * 4);
    for (let k = 0; k < count; k++) {
      const kl = readVarint(bytes, cur);
      const ks = cur.pos;
      cur.pos += kl;
      const vl = readVarint(bytes, cur);
      const vs = cur.pos;
      cur.pos += vl;
      // key NUL value, ASCII-lowercased bytewise (what asciiLower + UTF-8 encoding give).
      if (this.scratch.length < kl + vl + 1) this.scratch = new Uint8Array(2 * (kl + vl + 1));
      const s = this.scratch;
      for (let j = 0; j < kl; j++) s[j] = ASCII_LOWER[bytes[ks + j]!]!;
      s[kl] = 0;
      for (let j = 0; j < vl; j++) s[kl + 1 + j] = ASCII_LOWER[bytes[vs + j]!]!;
      ids[4 * k] = this.keys.intern(s, 0, kl);
      ids[4 * k + 1] = this.values.intern(s, kl + 1, kl + 1 + vl);
      ids[4 * k + 2] = this.pairs.intern(s, 0, kl + 1 + vl);
      // The value as written over the lowercased one: a spelling when they differ.
      s.set(bytes.subarray(vs, vs + vl), kl + 1);
      ids[4 * k + 3] = this.spelling(ids, k, s, kl, kl + 1 + vl);
    }
    if (this.memoMaps < MAX_MEMO_MAPS) {
      this.memoMaps++;
      const entry = { bytes: bytes.slice(), ids };
      if (bucket === undefined) this.byBytes.set(crc, [entry]);
      else bucket.push(entry);
    }
    return ids;
  }

  /** (keyId, valueId, pairId, spellingId or -1) of each attribute of a map, memoised by identity (the first MAX_MEMO_MAPS maps). */
  private intern(attrs: Attrs): Int32Array {
    const names = Object.keys(attrs);
    const ids = new Int32Array(names.length * 4);
    names.forEach((name, i) => {
      const key = asciiLower(name);
      const value = asciiLower(attrs[name]!);
      const max = 3 * (key.length + value.length) + 1;
      if (this.scratch.length < max) this.scratch = new Uint8Array(max * 2);
      const s = this.scratch;
      const kl = encoder.encodeInto(key, s).written;
      s[kl] = 0;
      const vl = encoder.encodeInto(value, s.subarray(kl + 1)).written;
      ids[4 * i] = this.keys.intern(s, 0, kl);
      ids[4 * i + 1] = this.values.intern(s, kl + 1, kl + 1 + vl);
      ids[4 * i + 2] = this.pairs.intern(s, 0, kl + 1 + vl);
      const written = encoder.encodeInto(attrs[name]!, s.subarray(kl + 1)).written;
      ids[4 * i + 3] = this.spelling(ids, i, s, kl, kl + 1 + written);
    });
    if (this.memoMaps < MAX_MEMO_MAPS) {
      this.memoMaps++;
      this.memo.set(attrs, ids);
    }
    return ids;
  }

  /**
   * The spelling id of attribute `k` of a map (ids filled up to its pair), whose key NUL
   * value-as-written is in `s[0, end)` (key `kl` bytes); -1 when the value is written
   * lowercase. A non-ASCII value, or a key an earlier attribute of the map lowercases to,
   * leaves the key unspelled.
   */
  private spelling(ids: Int32Array, k: number, s: Uint8Array, kl: number, end: number): number {
    const kid = ids[4 * k]!;
    for (let j = 0; j < k; j++) if (ids[4 * j] === kid) this.unspelled.add(kid);
    let differs = false;
    for (let j = kl + 1; j < end; j++) {
      if (s[j]! >= 0x80) this.unspelled.add(kid);
      differs ||= ASCII_LOWER[s[j]!] !== s[j];
    }
    if (!differs) return -1;
    const known = this.spellings.find(s, 0, end);
    if (known >= 0) return known;
    const sid = this.spellings.internMissed(s, 0, end);
    this.spellingKey[sid] = kid;
    return sid;
  }
}
