/**
 * CRC-32 (IEEE) of a byte range, via Bun's native implementation; `seed` continues a CRC, so
 * crc32(b, crc32(a)) is the CRC of a followed by b.
 */
export function crc32(bytes: Uint8Array, seed = 0): number {
  return Bun.hash.crc32(bytes, seed) >>> 0;
}
