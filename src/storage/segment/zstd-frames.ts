/**
 * Where the zstd frames of a stored block end, found from their headers alone (RFC 8878 §3.1:
 * frame header, then 3-byte block headers that give each block's stored size), without
 * decompressing anything. A block the writer cut into frames (codecs.ts compressBlockBody) keeps
 * its payloads in the last one, so a reader that needs only the columns before them (event
 * times) decompresses the frames before it.
 */

const ZSTD_MAGIC = 0xfd2fb528;
/** Bytes of the Dictionary_ID field by Dictionary_ID_Flag, and of Frame_Content_Size by FCS_Field_Size flag. */
const DICT_ID_BYTES = [0, 1, 2, 4] as const;
const FCS_BYTES = [0, 2, 4, 8] as const;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_RESERVED = 3;

/** Offset just past the zstd frame starting at `at`, or undefined when no well-formed frame starts there. */
export function zstdFrameEnd(bytes: Uint8Array, at: number): number | undefined {
  if (at + 5 > bytes.length) return undefined;
  const magic = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
  if (magic !== ZSTD_MAGIC) return undefined;
  const descriptor = bytes[at + 4]!;
  if ((descriptor & 0x08) !== 0) return undefined; // reserved bit
  const singleSegment = (descriptor & 0x20) !== 0;
  const fcsFlag = descriptor >> 6;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : FCS_BYTES[fcsFlag]!;
  let pos = at + 5 + (singleSegment ? 0 : 1) + DICT_ID_BYTES[descriptor & 3]! + fcsBytes;
  for (;;) {
    if (pos + 3 > bytes.length) return undefined;
    const header = bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16);
    const type = (header >> 1) & 3;
    if (type === BLOCK_TYPE_RESERVED) return undefined;
    pos += 3 + (type === BLOCK_TYPE_RLE ? 1 : header >>> 3);
    if ((header & 1) !== 0) break;
  }
  if ((descriptor & 0x04) !== 0) pos += 4; // content checksum
  return pos <= bytes.length ? pos : undefined;
}

/**
 * The stored bytes before the last of `bytes`' zstd frames, or undefined when they are one frame
 * or not well-formed frames back to back.
 */
export function framesBeforeLast(bytes: Uint8Array): Uint8Array | undefined {
  let previous = 0;
  let at = 0;
  let frames = 0;
  while (at < bytes.length) {
    const end = zstdFrameEnd(bytes, at);
    if (end === undefined) return undefined;
    previous = at;
    at = end;
    frames++;
  }
  return frames >= 2 ? bytes.subarray(0, previous) : undefined;
}
