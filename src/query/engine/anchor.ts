/**
 * Finding a case-insensitive needle without decoding text: the longest run of its bytes that
 * ASCII case folding leaves alone (ASCII other than letters) is searched in the raw bytes with
 * the native byte search, and each occurrence is checked against the whole needle there. A
 * batch whose bytes lack the anchor is passed over without becoming a string, which for a rare
 * needle with digits or punctuation (a block id, an error code) is nearly every batch.
 */

/** A run of needle bytes no case folding changes, and where it starts in the needle. */
export interface Anchor {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

/** Shorter runs (a lone `_` or `-`) are too common to beat a scan of the text. */
const MIN_ANCHOR_BYTES = 3;

function unfoldable(b: number): boolean {
  return b < 0x80 && !(b >= 0x41 && b <= 0x5a) && !(b >= 0x61 && b <= 0x7a);
}

/** The anchor of a needle's (lowercased UTF-8) bytes, or undefined when it has none. */
export function anchorOf(needle: Uint8Array): Anchor | undefined {
  let a: Anchor | undefined;
  for (let i = 0; i < needle.length; ) {
    let j = i;
    while (j < needle.length && unfoldable(needle[j]!)) j++;
    if (j - i >= MIN_ANCHOR_BYTES && j - i > (a?.bytes.length ?? 0)) a = { bytes: needle.subarray(i, j), offset: i };
    i = j + 1;
  }
  return a;
}
