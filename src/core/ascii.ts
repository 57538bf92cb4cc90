/**
 * ASCII-only case folding, the one "lowercase" of queries, indexes and routes: `A`–`Z` become
 * `a`–`z` and nothing else changes (non-ASCII letters keep their case, so byte offsets and
 * UTF-8 lengths are preserved). A string form and a byte table for hot loops.
 */

/** Byte -> its ASCII-lowercased byte (every other byte maps to itself). */
export const ASCII_LOWER = new Uint8Array(256);
for (let c = 0; c < 256; c++) ASCII_LOWER[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;

/** `s` with `A`–`Z` lowered; returns `s` itself when it has no uppercase ASCII letter. */
export function asciiLower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return s;
}

/** The UTF-8 bytes of `s`, ASCII-lowercased (a fresh array). */
export function asciiLowerBytes(s: string): Uint8Array {
  const b = encoder.encode(s);
  for (let i = 0; i < b.length; i++) b[i] = ASCII_LOWER[b[i]!]!;
  return b;
}

const encoder = new TextEncoder();
