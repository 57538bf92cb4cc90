/** CRC-32 (IEEE) of a byte range, via Bun's native implementation. */
export function crc32(bytes: Uint8Array): number {
  return Bun.hash.crc32(bytes) >>> 0;
}
