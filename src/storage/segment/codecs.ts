/**
 * Block compression codecs of sealed segments (IDs in format.ts): zstd through Bun's built-in
 * binding, lz4 (raw LZ4 block format, pure JS via lz4js so it works inside the compiled
 * binary and its seal worker) and none. The writer keeps a block uncompressed whenever the
 * codec does not make it smaller; the reader picks the decoder by the block's codec byte.
 */

import { chargeDecompressedBlock } from "../../observability/query-cost.ts";
import type { DecodeBuffer } from "../types.ts";
import { CODEC_LZ4, CODEC_NONE, CODEC_ZSTD, type CodecName } from "./format.ts";
import { zstdDecompressInto } from "./zstd-into.ts";
import { framesBeforeLast } from "./zstd-frames.ts";

type Lz4js = typeof import("lz4js");
let lz4: { js: Lz4js; table: Uint32Array } | undefined;

/**
 * lz4js, loaded on the first lz4 block: it allocates ~5 MiB of buffers when loaded, which every
 * process reading segments would otherwise pay at start. `table` is the match table: 2^16
 * slots, cleared before every block so no stale offsets leak in.
 */
function lz4js(): { js: Lz4js; table: Uint32Array } {
  lz4 ??= { js: require("lz4js") as Lz4js, table: new Uint32Array(1 << 16) };
  return lz4;
}

/** LZ4's worst-case output size for `n` input bytes. */
export function lz4Bound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/** An encoded block: the bytes to store and the codec ID recorded in its directory entry. */
export interface EncodedBlock {
  stored: Uint8Array;
  codec: number;
}

/**
 * Compresses one block body with `codec` (zstd at `level`; lz4 has no levels). Falls back to
 * CODEC_NONE with the body itself when compression would not save a byte.
 *
 * With `cuts` (ascending offsets), zstd compresses each part of the body between them as its
 * own frame, stored back to back; they decompress as one body (zstd decodes concatenated
 * frames as their concatenation). The writer cuts after the record lengths and before the
 * payloads: varint columns mixed into the payloads' first 128 KiB zstd block skew its literal
 * statistics, and lengths beside timestamps skew each other's. On 1M-line corpora at level 6,
 * header+columns and payloads as two frames stored 1.6% (bench corpus) and 2.1% (resampled
 * loghub) fewer block bytes than one frame; the lengths in a frame of their own 0.4% and 0.5% more.
 */
export function compressBlockBody(body: Uint8Array, codec: CodecName, level: number, cuts: readonly number[] = []): EncodedBlock {
  if (codec === "zstd") {
    const z = zstdFrames(body, cuts, level);
    if (z.length < body.length) return { stored: z, codec: CODEC_ZSTD };
  } else if (codec === "lz4") {
    const out = lz4Compress(body);
    if (out !== undefined && out.length < body.length) return { stored: out, codec: CODEC_LZ4 };
  }
  return { stored: body, codec: CODEC_NONE };
}

/** One zstd frame per non-empty part of `body` between `cuts`, concatenated. */
function zstdFrames(body: Uint8Array, cuts: readonly number[], level: number): Uint8Array {
  const frames: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, body.length]) {
    if (cut > start && cut <= body.length) {
      frames.push(Bun.zstdCompressSync(body.subarray(start, cut), { level }));
      start = cut;
    }
  }
  if (frames.length <= 1) return frames[0] ?? Bun.zstdCompressSync(body, { level });
  const out = new Uint8Array(frames.reduce((sum, f) => sum + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/**
 * Decompresses stored block bytes to exactly `rawLen` bytes. Throws RangeError when the bytes
 * do not decode to that length (the reader turns it into a CorruptError with the file offset).
 * Each call is charged to the query running now (observability/query-cost.ts).
 */
export function decompressBlockBody(stored: Uint8Array, codec: number, rawLen: number): Uint8Array {
  chargeDecompressedBlock(rawLen);
  switch (codec) {
    case CODEC_NONE:
      return stored;
    case CODEC_ZSTD: {
      const z = Bun.zstdDecompressSync(stored);
      return z instanceof Uint8Array ? z : new Uint8Array(z);
    }
    case CODEC_LZ4: {
      const out = new Uint8Array(rawLen);
      const n = lz4js().js.decompressBlock(stored, out, 0, stored.length, 0);
      if (n !== rawLen) throw new RangeError(`lz4 block decoded to ${n} bytes, directory says ${rawLen}`);
      return out;
    }
    default:
      throw new RangeError(`unknown block codec ${codec}`);
  }
}

/**
 * The body of a zstd block up to its payloads (header, record lengths, the other columns),
 * decompressed without them when the writer stored the payloads as a frame of their own
 * (compressBlockBody's cuts); undefined for one frame or another codec. Charged to the query
 * running now as a block of the bytes it decompressed.
 */
export function decompressBlockHead(stored: Uint8Array, codec: number): Uint8Array | undefined {
  if (codec !== CODEC_ZSTD) return undefined;
  const head = framesBeforeLast(stored);
  if (head === undefined) return undefined;
  const z = Bun.zstdDecompressSync(head);
  chargeDecompressedBlock(z.length);
  return new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
}

/**
 * Like decompressBlockBody for a zstd block, but into `reuse` (grown when too small); undefined
 * for other codecs, or when the runtime cannot decompress into a given buffer (zstd-into.ts).
 */
export function decompressBlockReusing(stored: Uint8Array, codec: number, rawLen: number, reuse: DecodeBuffer): Uint8Array | undefined {
  if (codec !== CODEC_ZSTD) return undefined;
  if (reuse.bytes.length <= rawLen) reuse.bytes = new Uint8Array(rawLen + REUSE_SLACK_BYTES);
  const body = zstdDecompressInto(stored, reuse.bytes, rawLen);
  if (body !== undefined) chargeDecompressedBlock(rawLen);
  return body;
}

/** Room a lent decode buffer gets beyond the block that grew it (blocks' raw sizes vary a little). */
const REUSE_SLACK_BYTES = 64 << 10;

/** Raw LZ4 block of `body`, or undefined when lz4js finds no match at all (incompressible). */
function lz4Compress(body: Uint8Array): Uint8Array | undefined {
  const { js, table } = lz4js();
  table.fill(0);
  const dst = new Uint8Array(lz4Bound(body.length));
  const n = js.compressBlock(body, dst, 0, body.length, table);
  return n === 0 ? undefined : dst.subarray(0, n);
}
