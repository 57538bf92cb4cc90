/**
 * Compressed rotations (`app.log.2.gz`, Docker's `-json.log.1.gz`, kubelet's `.gz`): the first
 * decompressed bytes (to fingerprint the file without inflating all of it) and a streaming
 * read of the whole content in bounded chunks.
 */

import { closeSync, openSync, readSync } from "node:fs";
import { createReadStream } from "node:fs";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { FINGERPRINT_BYTES } from "./identity.ts";

/** Compressed bytes read per attempt at the head (doubled until the head is complete). */
const HEAD_INPUT = 16 * 1024;
const HEAD_INPUT_MAX = 1 << 20;

/**
 * The first FINGERPRINT_BYTES decompressed bytes (fewer when the content is shorter), inflating
 * only a prefix of the file. Throws on a file that is not gzip.
 */
export function gzHead(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    for (let want = HEAD_INPUT; ; want *= 2) {
      const buf = new Uint8Array(want);
      const got = readSync(fd, buf, 0, want, 0);
      const out = gunzipSync(buf.subarray(0, got), { finishFlush: constants.Z_SYNC_FLUSH });
      if (out.length >= FINGERPRINT_BYTES || got < want || want >= HEAD_INPUT_MAX) return new Uint8Array(out.buffer, out.byteOffset, Math.min(out.length, FINGERPRINT_BYTES));
    }
  } finally {
    closeSync(fd);
  }
}

/** The decompressed content of `path` in chunks (about 64 KiB each). */
export async function* gzChunks(path: string, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const input = createReadStream(path);
  const gunzip = createGunzip();
  const stream = input.pipe(gunzip);
  input.on("error", (err) => gunzip.destroy(err));
  const abort = () => gunzip.destroy();
  signal.addEventListener("abort", abort);
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      yield new Uint8Array(b.buffer, b.byteOffset, b.length);
    }
  } finally {
    signal.removeEventListener("abort", abort);
    input.destroy();
  }
}
