/**
 * Zstd decompression into a buffer the caller reuses. Bun.zstdDecompressSync returns a fresh
 * buffer per call, and first touching that fresh memory (page faults, half of it system time)
 * costs about as much as decompressing: on 1 MiB blocks of the bench corpus (zstd -6) it ran at
 * 1.0-1.3 GB per CPU-second, into a reused buffer 1.7-1.9. Bun's node:zlib ZstdDecompress handle
 * takes the output buffer (`writeSync`, as Node's internal zlib handle does), so one handle per
 * thread decompresses every frame (decompression is synchronous: nothing interleaves). When the
 * runtime has no such handle, `zstdDecompressInto` returns undefined and the caller decompresses
 * the usual way.
 */

/** The part of node:zlib's native handle used here (Node's and Bun's internal zlib binding). */
interface ZstdHandle {
  reset(): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
}

/** ZSTD_e_end: the input is a whole frame; finish it. */
const ZSTD_E_END = 2;

interface Decompressor {
  handle: ZstdHandle;
  /** [output bytes left, input bytes left] after a writeSync. */
  left: Uint32Array;
  error: string | undefined;
}

/** The thread's decompressor: undefined until first use, null when the runtime has none. */
let decompressor: Decompressor | null | undefined;

function open(): Decompressor | null {
  try {
    // node:zlib is loaded only when a scan first decompresses (queries answered from indexes never do).
    const { createZstdDecompress } = process.getBuiltinModule("node:zlib");
    const stream = createZstdDecompress() as unknown as { _handle?: ZstdHandle; _writeState?: Uint32Array };
    const handle = stream._handle;
    const left = stream._writeState;
    if (handle === undefined || left === undefined || typeof handle.writeSync !== "function" || typeof handle.reset !== "function") return null;
    const d: Decompressor = { handle, left, error: undefined };
    handle.onerror = (message) => {
      d.error = message;
    };
    // Prove it on a known frame before trusting it.
    const probe = new TextEncoder().encode("gastrolog zstd probe");
    const out = new Uint8Array(probe.length + 1);
    return decompress(d, Bun.zstdCompressSync(probe), out, probe.length) && Buffer.from(out.subarray(0, probe.length)).equals(probe) ? d : null;
  } catch {
    return null;
  }
}

/** Decompresses `frame` into `out`; true when it decoded to exactly `rawLen` bytes (out holds at least rawLen + 1) and used all its input. */
function decompress(d: Decompressor, frame: Uint8Array, out: Uint8Array, rawLen: number): boolean {
  d.error = undefined;
  d.handle.reset();
  d.handle.writeSync(ZSTD_E_END, frame, 0, frame.length, out, 0, out.length);
  return d.error === undefined && out.length - d.left[0]! === rawLen && d.left[1] === 0;
}

/**
 * Decompresses zstd frame `frame` into `out` (which must hold at least rawLen + 1 bytes, so a
 * frame decoding to more is caught) and returns out's first `rawLen` bytes; undefined when the
 * runtime offers no reusable decompressor. Throws RangeError when the frame is damaged or does
 * not decode to exactly `rawLen` bytes.
 */
export function zstdDecompressInto(frame: Uint8Array, out: Uint8Array, rawLen: number): Uint8Array | undefined {
  if (decompressor === undefined) decompressor = open();
  if (decompressor === null) return undefined;
  if (out.length <= rawLen) throw new RangeError(`output buffer of ${out.length} bytes cannot hold ${rawLen} + 1`);
  if (!decompress(decompressor, frame, out, rawLen)) {
    const d = decompressor;
    throw new RangeError(d.error !== undefined ? `zstd: ${d.error}` : `zstd frame decoded to ${out.length - d.left[0]!} bytes (${d.left[1]} input bytes left), directory says ${rawLen}`);
  }
  return out.subarray(0, rawLen);
}
