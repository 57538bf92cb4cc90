/**
 * Byte equality without allocating: whole arrays, or a range of one against the start of
 * another (term and pair comparisons in the index builders and readers).
 */

/** True when `a` and `b` hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && rangeEquals(a, 0, b, b.length);
}

/** True when `a[at, at + length)` equals `b[0, length)` (the caller checks both ranges exist). */
export function rangeEquals(a: Uint8Array, at: number, b: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[at + i] !== b[i]) return false;
  return true;
}
