/**
 * Binary encoding of an attribute map, used by every store format:
 *
 *   count:varint  then count x ( keyLen:varint key:utf8  valLen:varint value:utf8 )
 *
 * Keys are written in ascending code-unit order so equal maps encode to equal bytes.
 * An empty map is the single byte 0x00. Decoding rejects truncation and trailing garbage.
 */

import { LogError } from "./errors.ts";
import type { Attrs } from "./record.ts";
import { ByteWriter } from "./bytes/growable.ts";
import { utf8Text } from "./bytes/utf8.ts";
import { readVarint, type VarintCursor } from "./bytes/varint.ts";

const encoder = new TextEncoder();

/** Keys of the last map encoded, in insertion order, and the same keys sorted. */
let lastKeys: string[] = [];
let lastSorted: string[] = [];

/**
 * The keys of `attrs` in ascending order. Receivers build every record's map with the same
 * keys in the same order, so the last sort is reused when the keys match (a sort per record
 * was ~6% of a syslog receiver's CPU); the match is checked by walking the keys in place,
 * without the array Object.keys would allocate per record.
 */
function sortedKeys(attrs: Attrs): string[] {
  const last = lastKeys;
  let n = 0;
  let same = true;
  for (const k in attrs) {
    if (same && last[n] !== k) same = false;
    n++;
  }
  if (same && n === last.length) return lastSorted;
  const keys = Object.keys(attrs);
  if (keys.length <= 1) return keys;
  lastKeys = keys;
  lastSorted = keys.slice().sort();
  return lastSorted;
}

/** Appends the encoding of `attrs` to `out`. */
export function encodeAttrsInto(attrs: Attrs, out: ByteWriter): void {
  const keys = sortedKeys(attrs);
  out.varint(keys.length);
  for (const k of keys) {
    writeString(out, k);
    writeString(out, attrs[k]!);
  }
}

function writeString(out: ByteWriter, s: string): void {
  if (out.shortAscii(s)) return;
  // Longer ASCII: one byte per code unit.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    out.varint(s.length);
    out.ascii(s);
    return;
  }
  const bytes = encoder.encode(s);
  out.varint(bytes.length);
  out.bytes(bytes);
}

/** Encodes `attrs` to a fresh byte array. */
export function encodeAttrs(attrs: Attrs): Uint8Array {
  const w = new ByteWriter(64);
  encodeAttrsInto(attrs, w);
  return w.finish().slice();
}

/** Decodes attributes from `buf[start, end)`. Throws LogError("corrupt") on malformed input. */
export function decodeAttrs(buf: Uint8Array, start = 0, end = buf.length): Attrs {
  const out: Record<string, string> = {};
  const cur: VarintCursor = { pos: start };
  try {
    const count = readVarint(buf, cur);
    for (let i = 0; i < count; i++) {
      const k = readString(buf, cur, end);
      const v = readString(buf, cur, end);
      // A key named "__proto__" is stored as an own property like any other (plain assignment
      // would set the prototype); plain objects stay fast for every other key.
      if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
  } catch (err) {
    throw new LogError("corrupt", `invalid attributes data at byte ${cur.pos}: ${(err as Error).message}`);
  }
  if (cur.pos !== end) throw new LogError("corrupt", `invalid attributes data: ${end - cur.pos} trailing bytes`);
  return out;
}

function readString(buf: Uint8Array, cur: VarintCursor, end: number): string {
  const len = readVarint(buf, cur);
  const s = cur.pos;
  if (s + len > end) throw new RangeError("string runs past end");
  cur.pos = s + len;
  return utf8Text(buf, s, s + len);
}
