/**
 * One open followed file: its descriptor (kept across renames and deletion, so a rotated file
 * is read to its end), identity, read offset and decoding chain. readChunk() reads what is new
 * and reports "replaced" when the file shrank below the offset or its first bytes changed
 * (copytruncate, or truncated and rewritten before we looked). Synchronous reads of bounded
 * chunks; the follower interleaves files and applies backpressure between chunks.
 */

import { closeSync, fstatSync, readSync } from "node:fs";
import type { FilePosition } from "./assembler.ts";
import { FINGERPRINT_BYTES, fingerprint, headMatches, readHead, type FileMeta } from "./identity.ts";
import { sniffBom, type Encoding } from "./line-feeder.ts";
import { FileStream, type Chain } from "./stream.ts";

/** How files are decoded: encoding ("auto" = BOM, else UTF-8), line limit and chain. */
export interface FileSetup {
  encoding: "auto" | Encoding;
  maxLine: number;
  chain(livePath: string): Chain;
}

/** readChunk() found the file replaced in place (truncated or rewritten). */
export const REPLACED = -1;

/** The encoding of a file with these first bytes, and where its text starts. */
export function fileEncoding(setup: FileSetup, head: Uint8Array): { encoding: Encoding; bom: number } {
  const bom = sniffBom(head);
  if (setup.encoding === "auto") return bom ?? { encoding: "utf-8", bom: 0 };
  return { encoding: setup.encoding, bom: bom?.encoding === setup.encoding ? bom.bom : 0 };
}

export class TrackedFile {
  /** Still at a path the patterns match (false once renamed away or deleted). */
  live = true;
  /** performance.now() of the last read that found data (or of losing the live path). */
  lastData = performance.now();
  busy = false;
  again = false;
  /** Last position handed to the checkpointer. */
  lastPosition = "";
  stream: FileStream;
  readPos: number;
  readonly bom: number;
  readonly encoding: Encoding;

  constructor(
    readonly key: string,
    public fd: number,
    public meta: FileMeta,
    private readonly setup: FileSetup,
    head: Uint8Array,
    from: FilePosition,
    skip: number,
  ) {
    const e = fileEncoding(setup, head);
    this.encoding = e.encoding;
    this.bom = e.bom;
    const start = from.o < e.bom ? { o: e.bom, k: from.k } : from;
    this.readPos = start.o;
    this.stream = new FileStream(setup.chain(meta.path), e.encoding, setup.maxLine, start, skip);
  }

  /**
   * Reads up to `maxBytes` new bytes into the stream: how many, 0 at the end, or REPLACED (a
   * live file only: rotated ones are never rewritten in place).
   */
  readChunk(maxBytes: number): number {
    const size = fstatSync(this.fd).size;
    // A rotated copy shorter than where its original was read holds nothing new.
    if (size < this.readPos) return this.live ? REPLACED : 0;
    if (size === this.readPos) return 0;
    // New bytes: make sure they continue what was read (not a file rewritten in place).
    if (this.live && this.meta.fpLen > 0 && !headMatches(readHead(this.fd), this.meta)) return REPLACED;
    const buf = new Uint8Array(Math.min(size - this.readPos, maxBytes));
    const got = readSync(this.fd, buf, 0, buf.length, this.readPos);
    if (got === 0) return 0;
    this.stream.feed(got === buf.length ? buf : buf.subarray(0, got), this.readPos);
    this.readPos += got;
    if (this.meta.fpLen < FINGERPRINT_BYTES) {
      const head = readHead(this.fd);
      this.meta = { ...this.meta, fp: fingerprint(head, head.length), fpLen: head.length };
    }
    this.lastData = performance.now();
    return got;
  }

  /** Starts over on new content at the same path and inode (after "replaced"). */
  restart(): void {
    const head = readHead(this.fd);
    this.meta = { ...this.meta, fp: fingerprint(head, head.length), fpLen: head.length };
    this.readPos = this.bom;
    this.stream = new FileStream(this.setup.chain(this.meta.path), this.encoding, this.setup.maxLine, { o: this.bom, k: 0 }, 0);
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = -1;
    }
  }
}
