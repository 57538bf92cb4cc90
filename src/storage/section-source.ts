/**
 * Section reads by byte range shared by the chunk readers: the range check, and a range read
 * over a section already held in memory (memory-store sections; readers without sections).
 */

import { LogError } from "../core/errors.ts";

/** Throws unless [offset, offset + length) lies within a section of `size` bytes. */
export function checkSectionRange(chunk: string, name: string, size: number, offset: number, length: number): void {
  if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= size)) {
    throw new LogError("invalid_argument", `range [${offset}, +${length}) is outside section "${name}" (${size} bytes) of chunk ${chunk}`);
  }
}

/** Bytes [offset, offset + length) of `bytes`, the section `name` of `chunk` (a view). */
export function readHeldSection(chunk: string, name: string, bytes: Uint8Array | undefined, offset: number, length: number): Uint8Array {
  if (bytes === undefined) throw new LogError("not_found", `chunk ${chunk} has no section "${name}"`);
  checkSectionRange(chunk, name, bytes.length, offset, length);
  return bytes.subarray(offset, offset + length);
}
