/**
 * Builds the attribute index section ("idx.attrs": indexes "keys", "values", "pairs") from
 * record attributes: keys and values ASCII-lowercased, pairs as key NUL value,
 * each term once per record. Always complete, no limits. Term ids are worked out once per
 * distinct map — from its encoded bytes when the batch has them (no object per record), else
 * per distinct Attrs object — and reused.
 */

import { ASCII_LOWER, asciiLower } from "../core/ascii.ts";
import { crc32 } from "../core/bytes/checksum.ts";
import { readVarint, type VarintCursor } from "../core/bytes/varint.ts";
import type { Attrs } from "../core/record.ts";
import type { RecordBatch, SectionBuilder } from "../storage/types.ts";
import { encodeTermSection } from "./term-writer.ts";
import { TermTable } from "./term-table.ts";

export const ATTR_SECTION = "idx.attrs";
export const KEYS_INDEX = "keys";
export const VALUES_INDEX = "values";
export const PAIRS_INDEX = "pairs";

const encoder = new TextEncoder();

/** SectionBuilder for "idx.attrs"; always finishes "complete". */
export class AttrIndexBuilder implements SectionBuilder {
  readonly name = ATTR_SECTION;
  private readonly keys = new TermTable();
  private readonly values = new TermTable();
  private readonly pairs = new TermTable();
  private readonly memo = new WeakMap<Attrs, Int32Array>();
  /** Encoded map -> term ids, bucketed by CRC-32 of the encoding. */
  private readonly byBytes = new Map<number, { bytes: Uint8Array; ids: Int32Array }[]>();
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
      for (let k = 0; k < ids.length; k += 3) {
        this.keys.addId(ids[k]!);
        this.values.addId(ids[k + 1]!);
        this.pairs.addId(ids[k + 2]!);
      }
    }
  }

  finish(): { bytes: Uint8Array; status: "complete" } {
    const built = [
      this.keys.build(KEYS_INDEX, this.keys.sortedIds()),
      this.values.build(VALUES_INDEX, this.values.sortedIds()),
      this.pairs.build(PAIRS_INDEX, this.pairs.sortedIds()),
    ];
    for (const t of [this.keys, this.values, this.pairs]) t.release();
    return { bytes: encodeTermSection("complete", built, { blockBytes: this.blockBytes }), status: "complete" };
  }

  /** Term ids of an encoded map (attrs-codec layout), memoised by its bytes. */
  private idsOfEncoded(bytes: Uint8Array): Int32Array {
    const crc = crc32(bytes);
    let bucket = this.byBytes.get(crc);
    if (bucket === undefined) this.byBytes.set(crc, (bucket = []));
    for (const e of bucket) if (sameBytes(e.bytes, bytes)) return e.ids;
    const cur: VarintCursor = { pos: 0 };
    const count = readVarint(bytes, cur);
    const ids = new Int32Array(count * 3);
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
      ids[3 * k] = this.keys.intern(s, 0, kl);
      ids[3 * k + 1] = this.values.intern(s, kl + 1, kl + 1 + vl);
      ids[3 * k + 2] = this.pairs.intern(s, 0, kl + 1 + vl);
    }
    bucket.push({ bytes: bytes.slice(), ids });
    return ids;
  }

  /** (keyId, valueId, pairId) triples of one attribute map, memoised by identity. */
  private intern(attrs: Attrs): Int32Array {
    const names = Object.keys(attrs);
    const ids = new Int32Array(names.length * 3);
    names.forEach((name, i) => {
      const key = asciiLower(name);
      const value = asciiLower(attrs[name]!);
      const max = 3 * (key.length + value.length) + 1;
      if (this.scratch.length < max) this.scratch = new Uint8Array(max * 2);
      const s = this.scratch;
      const kl = encoder.encodeInto(key, s).written;
      s[kl] = 0;
      const vl = encoder.encodeInto(value, s.subarray(kl + 1)).written;
      ids[3 * i] = this.keys.intern(s, 0, kl);
      ids[3 * i + 1] = this.values.intern(s, kl + 1, kl + 1 + vl);
      ids[3 * i + 2] = this.pairs.intern(s, 0, kl + 1 + vl);
    });
    this.memo.set(attrs, ids);
    return ids;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
