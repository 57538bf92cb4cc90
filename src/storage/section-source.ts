/**
 * SectionSource helpers shared by the stores: the range check every implementation applies,
 * and a source over bytes already in memory (memory-store sections, tests).
 */

import { LogError } from "../core/errors.ts";
import type { SectionSource } from "./types.ts";

/** Throws unless [offset, offset + length) lies within a section of `size` bytes. */
export function checkSectionRange(name: string, size: number, offset: number, length: number): void {
  if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= size)) {
    throw new LogError("invalid_argument", `read [${offset}, +${length}) is outside section "${name}" of ${size} bytes`);
  }
}

/** A SectionSource over `bytes` (zero-copy views). */
export function memorySection(name: string, bytes: Uint8Array): SectionSource {
  return {
    length: bytes.length,
    read(offset, length) {
      checkSectionRange(name, bytes.length, offset, length);
      return bytes.subarray(offset, offset + length);
    },
    bytes: () => bytes,
  };
}
