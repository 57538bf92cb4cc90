/**
 * Command output written straight to a file descriptor with blocking writes, as Node does for
 * pipes and files on Linux: each write returns once the kernel has the bytes, so a slow reader
 * slows the command down instead of memory filling up, and nothing is still queued when main
 * exits (Bun drops queued stream writes at process.exit, which cut piped output short). Also
 * cheaper to start than process.stdout, whose stream machinery costs ~10 ms to load.
 * A reader that went away (EPIPE, `| head -1`) makes writes throw OutputClosedError.
 */

import { writeSync } from "node:fs";
import { OutputClosedError } from "../../core/errors.ts";

/** How long to wait before retrying a write that found a non-blocking descriptor full. */
const RETRY_MS = 1;

export class FdOutput {
  private closed = false;

  /**
   * `ignoreClosed`: drop writes after the reader went away instead of throwing (stderr: a
   * diagnostic must never turn into a failure of its own).
   */
  constructor(
    private readonly fd: number,
    private readonly ignoreClosed = false,
  ) {}

  /** Writes all of `chunk`; throws OutputClosedError once the reader is gone (unless ignoreClosed). */
  write(chunk: string | Uint8Array): void {
    if (this.closed) {
      if (this.ignoreClosed) return;
      throw new OutputClosedError();
    }
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let at = 0; at < bytes.length; ) {
      try {
        at += writeSync(this.fd, bytes, at);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "EAGAIN") {
          // Only a descriptor someone made non-blocking gets here; wait for the reader.
          Bun.sleepSync(RETRY_MS);
        } else if (code === "EPIPE") {
          this.closed = true;
          return this.write(chunk);
        } else {
          throw err;
        }
      }
    }
  }
}
