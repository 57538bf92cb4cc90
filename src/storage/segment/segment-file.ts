/**
 * Read-only access to one segment file by byte range: an O_RDONLY descriptor and positioned
 * reads (pread). Bun.mmap always opens its file O_RDWR (even with `shared: false`), so a 0444
 * segment or one owned by another user could not be mapped at all, and a writable mapping would
 * let stray writes change verified bytes unnoticed; reads into fresh buffers have neither
 * problem and count exactly the bytes a query touches.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { CorruptError, LogError, errorMessage } from "../../core/errors.ts";

/** Largest read served from the shared transient buffer (larger ones allocate their own). */
const TRANSIENT_MAX_BYTES = 8 << 20;
/** readTransient's buffer (one per thread: workers load their own copy of this module). */
let transient = new Uint8Array(0);

export class SegmentFile {
  private fd: number;
  /** File size at open (segments are immutable). */
  readonly size: number;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  /** Opens `path` read-only; LogError not_found / permission_denied when it cannot be opened. */
  static open(path: string): SegmentFile {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const kind = code === "EACCES" || code === "EPERM" ? "permission_denied" : "not_found";
      throw new LogError(kind, `cannot open segment ${path}: ${errorMessage(err)}`, { cause: err });
    }
    try {
      return new SegmentFile(path, fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Throws LogError("unavailable") once the file is closed. */
  checkOpen(): void {
    if (this.fd < 0) throw new LogError("unavailable", `segment ${this.path} is closed`);
  }

  /**
   * Bytes [offset, offset + length) in a new buffer; CorruptError when the file is shorter. The
   * buffer is allocated without zero-filling (every byte is read over or the call throws) and
   * unpooled, so it starts at offset 0 of its own ArrayBuffer (sections are viewed as typed arrays).
   */
  read(offset: number, length: number): Uint8Array {
    const raw = Buffer.allocUnsafeSlow(length);
    return this.fill(new Uint8Array(raw.buffer, raw.byteOffset, length), offset);
  }

  /**
   * Bytes [offset, offset + length) in a buffer that the next readTransient call (of any file of
   * this thread) overwrites: for bytes used at once and dropped, such as a compressed block on its
   * way to the decompressor. Reusing the buffer spares a fresh allocation and its page faults
   * per block. Reads longer than TRANSIENT_MAX_BYTES get a buffer of their own.
   */
  readTransient(offset: number, length: number): Uint8Array {
    if (length > TRANSIENT_MAX_BYTES) return this.read(offset, length);
    if (transient.length < length) transient = new Uint8Array(Math.min(TRANSIENT_MAX_BYTES, Math.max(length, transient.length * 2)));
    return this.fill(transient.subarray(0, length), offset);
  }

  private fill(out: Uint8Array, offset: number): Uint8Array {
    this.checkOpen();
    const length = out.length;
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new CorruptError(this.path, offset + done, `file ends inside a read of ${length} bytes at ${offset}`);
      done += n;
    }
    return out;
  }

  /** Closes the descriptor; later reads throw. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
