/**
 * Joining byte arrays: the carry-over of stream parsers (a frame split across chunks) and
 * the parts of a message split by its sender. One copy into a new array; a single part is
 * returned as it is.
 */

/** The bytes of `parts` back to back (at most `limit` of them). */
export function concatBytes(parts: readonly Uint8Array[], limit = Number.MAX_SAFE_INTEGER): Uint8Array {
  if (parts.length === 1 && parts[0]!.length <= limit) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const n = Math.min(p.length, out.length - at);
    out.set(n === p.length ? p : p.subarray(0, n), at);
    at += n;
  }
  return out;
}
