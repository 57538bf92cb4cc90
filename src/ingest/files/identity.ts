/**
 * How a followed file is recognised across renames, restarts and rotations: its device and
 * inode (the source key), checked against a fingerprint — a hash of its first
 * FINGERPRINT_BYTES bytes (fewer while the file is shorter) — so a reused inode or a file
 * truncated and rewritten in place is seen as new content. A compressed or copied rotation
 * (new inode) is matched to the file it came from by that fingerprint alone.
 */

import { fstatSync, readSync } from "node:fs";

/** Bytes hashed into a fingerprint. */
export const FINGERPRINT_BYTES = 1024;
/** Shortest fingerprint trusted to match a file with a different inode (shorter ones are too common). */
export const MIN_MATCH_BYTES = 64;

/** What a positions row remembers about its file (JSON in the row's meta). */
export interface FileMeta {
  /** Path the file was followed under (its live name), for attrs after a rename. */
  path: string;
  dev: number;
  ino: number;
  /** Fingerprint hash (hex) of the first fpLen bytes. */
  fp: string;
  fpLen: number;
  /** A compressed rotation read in one go. */
  gz?: boolean;
  /** Read to its end and never growing again (compressed rotations). */
  done?: boolean;
  /** Set on rows kept only to match a copy (copytruncate) after the file was truncated. */
  retired?: boolean;
}

/** Source key of a file: "dev:ino". */
export function fileKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

/** Hex fingerprint of `bytes[0, len)`. */
export function fingerprint(bytes: Uint8Array, len: number): string {
  return Bun.hash.xxHash64(bytes.subarray(0, len)).toString(16);
}

/** The first min(size, FINGERPRINT_BYTES) bytes of an open file. */
export function readHead(fd: number): Uint8Array {
  const size = fstatSync(fd).size;
  const head = new Uint8Array(Math.min(size, FINGERPRINT_BYTES));
  let got = 0;
  while (got < head.length) {
    const n = readSync(fd, head, got, head.length - got, got);
    if (n === 0) break;
    got += n;
  }
  return head.subarray(0, got);
}

/** True when `head` starts with the content a row's fingerprint was taken from. */
export function headMatches(head: Uint8Array, meta: Pick<FileMeta, "fp" | "fpLen">): boolean {
  return head.length >= meta.fpLen && fingerprint(head, meta.fpLen) === meta.fp;
}

/** Parses a row's meta (rows written by other source types parse to undefined). */
export function parseFileMeta(json: string): FileMeta | undefined {
  try {
    const m = JSON.parse(json) as Partial<FileMeta>;
    return typeof m.dev === "number" && typeof m.ino === "number" && typeof m.fp === "string" ? (m as FileMeta) : undefined;
  } catch {
    return undefined;
  }
}
