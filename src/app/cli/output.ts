/**
 * Command output with backpressure: text goes to a Node-style stream (process.stdout/stderr);
 * while the stream is over its buffer, write() returns a promise that loops producing a lot of
 * output await, so memory stays flat on a slow reader; drained() resolves once everything has
 * left the process, and main exits only then (Bun drops queued pipe writes at process.exit).
 * A reader that went away (EPIPE, `| head -1`) makes later writes throw OutputClosedError.
 */

import { OutputClosedError } from "../../core/errors.ts";

/** The part of a Node Writable this needs (process.stdout, process.stderr, test doubles). */
export interface WritableLike {
  /** False when the data was queued past the buffer: wait for "drain" before writing more. */
  write(chunk: string | Uint8Array): boolean;
  on(event: "drain" | "error" | "close", listener: (...args: unknown[]) => void): unknown;
}

export class StreamOutput {
  private closed = false;
  private waiting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  /**
   * `ignoreClosed`: drop writes after the reader went away instead of throwing (stderr: a
   * diagnostic must never turn into a failure of its own).
   */
  constructor(
    private readonly stream: WritableLike,
    private readonly ignoreClosed = false,
  ) {
    stream.on("drain", () => this.release());
    stream.on("error", () => this.close());
    stream.on("close", () => this.close());
  }

  /**
   * Queues `chunk`. Returns a promise while the stream's buffer is full (resolved on "drain"
   * or when the reader goes away); undefined when more may be written at once. Throws
   * OutputClosedError once the reader is gone (unless ignoreClosed).
   */
  write(chunk: string | Uint8Array): Promise<void> | undefined {
    if (this.closed) {
      if (this.ignoreClosed) return undefined;
      throw new OutputClosedError();
    }
    let ok: boolean;
    try {
      ok = this.stream.write(chunk);
    } catch (err) {
      if ((err as { code?: string }).code !== "EPIPE") throw err;
      this.close();
      return this.write(chunk);
    }
    if (ok) return undefined;
    this.waiting ??= new Promise<void>((resolve) => (this.wake = resolve));
    return this.waiting;
  }

  /** True once the reader went away. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when everything written so far has been handed to the OS (or the reader left). */
  drained(): Promise<void> {
    return this.waiting ?? Promise.resolve();
  }

  private release(): void {
    const wake = this.wake;
    this.waiting = undefined;
    this.wake = undefined;
    wake?.();
  }

  private close(): void {
    this.closed = true;
    this.release();
  }
}
