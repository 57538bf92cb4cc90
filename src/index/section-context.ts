/**
 * What every term-section reader shares: the section's bytes by range, the process cache and
 * this section's key prefix in it, the read counters, and the TermSection interface both
 * format versions implement. No decoding here.
 */

import { LogError } from "../core/errors.ts";
import type { ByteCache } from "../storage/byte-cache.ts";
import type { ChunkReader } from "../storage/types.ts";
import type { TermSectionStatus } from "./format.ts";
import type { TermIndex } from "./types.ts";

/** One section of a chunk: read by range, or whole (checked against the segment's CRC). */
export interface SectionSource {
  readonly length: number;
  read(offset: number, length: number): Uint8Array;
  bytes(): Uint8Array;
}

/** Section `name` of `reader`, or undefined when the chunk has none. */
export function readerSection(reader: ChunkReader, name: string): SectionSource | undefined {
  const length = reader.sectionSize(name);
  if (length === undefined) return undefined;
  return {
    length,
    read: (offset, n) => reader.readSection(name, offset, n),
    bytes: () => reader.section(name) ?? new Uint8Array(0),
  };
}

/** A SectionSource over bytes in memory (tests, and sections built in this process). */
export function bytesSection(bytes: Uint8Array): SectionSource {
  return {
    length: bytes.length,
    read(offset, n) {
      if (!(offset >= 0 && n >= 0 && offset + n <= bytes.length)) throw new LogError("invalid_argument", `range [${offset}, +${n}) is outside a ${bytes.length}-byte section`);
      return bytes.subarray(offset, offset + n);
    },
    bytes: () => bytes,
  };
}

/** Bytes and reads an index opener took from storage (explain analyze reports them). */
export interface ReadStats {
  bytes: number;
  reads: number;
}

/** What a section reader needs: its bytes, the cache, its cache-key prefix and the counters. */
export interface SectionContext {
  readonly source: SectionSource;
  readonly cache: ByteCache;
  /** Unique per chunk and section, e.g. "idx:<store>/<chunk>/idx.tokens#". */
  readonly key: string;
  readonly stats: ReadStats;
}

/** An opened term section of any version. */
export interface TermSection {
  readonly status: TermSectionStatus;
  /** Its named indexes in stored order, with term counts and stored bytes. */
  readonly indexes: readonly { name: string; termCount: number; bytes: number }[];
  /** The index called `name`, or undefined when the section has none of that name. */
  index(name: string): TermIndex | undefined;
  /** Bytes the dictionaries and lists take decoded (reports; approximate for compressed lists). */
  readonly decodedBytes: number;
}

/** Reads `length` bytes at `offset` of the section, counting them. */
export function readCounted(ctx: SectionContext, offset: number, length: number): Uint8Array {
  ctx.stats.bytes += length;
  ctx.stats.reads++;
  return ctx.source.read(offset, length);
}

/** The index called `name` of `section`; LogError("corrupt") when the section lacks it. */
export function requireIndex(section: TermSection, name: string): TermIndex {
  const idx = section.index(name);
  if (idx === undefined) throw new LogError("corrupt", `term index section: no index named "${name}"`);
  return idx;
}
