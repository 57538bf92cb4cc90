/**
 * Finding a case-insensitive needle without decoding text: the longest run of its bytes that
 * ASCII case folding leaves alone (ASCII other than letters) is searched in the raw bytes with
 * the native byte search, and each occurrence is checked against the whole needle there. A
 * batch whose bytes lack the anchor is passed over without becoming a string, which for a rare
 * needle with digits or punctuation (a block id, an error code) is nearly every batch.
 */

import type { Predicate } from "./predicate.ts";

/** A run of needle bytes no case folding changes, and where it starts in the needle. */
export interface Anchor {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

/** Shorter runs (a lone `_` or `-`) are too common to beat a scan of the text. */
const MIN_ANCHOR_BYTES = 3;

const anchors = new WeakMap<Predicate, Anchor | null>();

function unfoldable(b: number): boolean {
  return b < 0x80 && !(b >= 0x41 && b <= 0x5a) && !(b >= 0x61 && b <= 0x7a);
}

/** The anchor of `p`'s needle (computed once per predicate), or undefined when it has none. */
export function anchorOf(p: Predicate): Anchor | undefined {
  let a = anchors.get(p);
  if (a === undefined) {
    a = null;
    const n = p.needleBytes;
    for (let i = 0; i < n.length; ) {
      let j = i;
      while (j < n.length && unfoldable(n[j]!)) j++;
      if (j - i >= MIN_ANCHOR_BYTES && j - i > (a?.bytes.length ?? 0)) a = { bytes: n.subarray(i, j), offset: i };
      i = j + 1;
    }
    anchors.set(p, a);
  }
  return a ?? undefined;
}
