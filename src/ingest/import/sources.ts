/**
 * Opens an import input as a stream of byte chunks: a plain file (read in 1 MiB blocks),
 * `-` for stdin, `.gz` (node:zlib gunzip) or `.zst` (node:zlib zstd; both streaming). Each
 * chunk is a buffer the caller may keep views into; a plain file's blocks may be handed back
 * (`recycle`) once nothing views them, and later blocks are read into them. Reports compressed
 * bytes consumed so progress can show a percentage of the file on disk.
 */

import { createReadStream, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { LogError, errorMessage } from "../../core/errors.ts";
import { isPlainPath } from "./defaults.ts";

/** Size of the blocks read from plain files, and the decompressor's output chunk size. */
export const READ_BLOCK_BYTES = 1 << 20;
/** Recycled blocks a plain source keeps for its next reads (more are left to the GC). */
const SPARE_BLOCKS = 4;

export interface ByteSource {
  /** Display name: the path, or "-" for stdin. */
  readonly name: string;
  /** "plain", "gzip", "zstd" or "stdin". */
  readonly kind: "plain" | "gzip" | "zstd" | "stdin";
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Size of the file on disk (compressed size for .gz/.zst); undefined for stdin. */
  readonly totalBytes: number | undefined;
  /** Bytes of the file on disk consumed so far (compressed bytes for .gz/.zst). */
  consumedBytes(): number;
  /**
   * Where present (plain files): takes back a chunk this source yielded once nothing reads it
   * or views into it any more; a later chunk may be read into the same memory. Without it,
   * every chunk is fresh memory left to the GC (up to 20 MiB of 1 MiB blocks waited for it).
   */
  recycle?(chunk: Uint8Array): void;
}

/**
 * Opens `path` for import; `stdin` replaces process stdin for `-` (tests). `from` skips that
 * many bytes of the (decompressed) content: a seek for plain files, decompressed and dropped
 * for .gz/.zst; stdin cannot skip. Throws LogError("not_found"/"invalid_argument") naming the
 * path when it cannot be read.
 */
export function openSource(path: string, stdin?: AsyncIterable<Uint8Array>, from = 0): ByteSource {
  if (path === "-") {
    if (from > 0) throw new LogError("invalid_argument", "import: standard input cannot be resumed part way (its data is gone); import the rest by other means");
    return stdinSource(stdin ?? (Bun.stdin.stream() as AsyncIterable<Uint8Array>));
  }
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new LogError("invalid_argument", `import: "${path}" is not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof LogError) throw err;
    throw new LogError("not_found", `import: cannot open "${path}": ${errorMessage(err)}`, { cause: err });
  }
  if (isPlainPath(path)) {
    if (from > size) throw new LogError("invalid_argument", `import: "${path}" has ${size} bytes, fewer than the ${from} already imported (was it replaced?)`);
    return plainSource(path, size, from);
  }
  return decompressed(path, path.endsWith(".gz") ? "gzip" : "zstd", size, from);
}

function stdinSource(input: AsyncIterable<Uint8Array>): ByteSource {
  let consumed = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      consumed += chunk.length;
      yield chunk;
    }
  }
  return { name: "-", kind: "stdin", chunks: chunks(), totalBytes: undefined, consumedBytes: () => consumed };
}

function plainSource(path: string, size: number, from: number): ByteSource {
  let consumed = from;
  const spare: ArrayBuffer[] = [];
  async function* chunks(): AsyncGenerator<Uint8Array> {
    await using fh = await open(path, "r");
    for (;;) {
      const block = spare.pop();
      const buf = block ? new Uint8Array(block) : new Uint8Array(READ_BLOCK_BYTES);
      const { bytesRead } = await fh.read(buf, 0, READ_BLOCK_BYTES, consumed);
      if (bytesRead === 0) return;
      consumed += bytesRead;
      yield bytesRead === READ_BLOCK_BYTES ? buf : buf.subarray(0, bytesRead);
    }
  }
  const recycle = (chunk: Uint8Array): void => {
    const block = chunk.buffer;
    if (block instanceof ArrayBuffer && block.byteLength === READ_BLOCK_BYTES && spare.length < SPARE_BLOCKS && !spare.includes(block)) spare.push(block);
  };
  return { name: path, kind: "plain", chunks: chunks(), totalBytes: size, consumedBytes: () => consumed, recycle };
}

function decompressed(path: string, kind: "gzip" | "zstd", size: number, from: number): ByteSource {
  const file = createReadStream(path, { highWaterMark: READ_BLOCK_BYTES });
  const inflate = kind === "gzip" ? createGunzip({ chunkSize: 256 * 1024 }) : createZstdDecompress({ chunkSize: 256 * 1024 });
  const out = pipeline(file, inflate, () => {});
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let skip = from;
    try {
      for await (const chunk of out as AsyncIterable<Uint8Array>) {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          continue;
        }
        yield skip > 0 ? chunk.subarray(skip) : chunk;
        skip = 0;
      }
    } catch (err) {
      throw new LogError("corrupt", `import: cannot decompress "${path}" (${kind}): ${errorMessage(err)}`, { cause: err });
    }
    if (skip > 0) throw new LogError("invalid_argument", `import: "${path}" holds fewer bytes than the ${from} already imported (was it replaced?)`);
  }
  return { name: path, kind, chunks: chunks(), totalBytes: size, consumedBytes: () => file.bytesRead };
}
