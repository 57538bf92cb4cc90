/**
 * What every term-section reader shares: the section's bytes by range (through the chunk's
 * ChunkView, so a local file, memory or a remote tier serve them alike), the process cache and
 * this section's key prefix in it, the read counters, and the TermSection interface both format
 * versions implement. No decoding here.
 */

import { LogError } from "../core/errors.ts";
import type { ByteCache } from "../storage/byte-cache.ts";
import { checkSectionRange } from "../storage/reader-checks.ts";
import type { ChunkView, MaybePromise } from "../storage/types.ts";
import type { TermSectionStatus } from "./format.ts";
import type { TermIndex } from "./types.ts";

/**
 * One section of a chunk, read by range. A read of the whole section is checked against the
 * store's checksum of it (ChunkView.readSection), which version 1 (no block CRCs) relies on.
 */
export interface SectionSource {
  readonly length: number;
  read(offset: number, length: number): MaybePromise<Uint8Array>;
}

/** Section `name` of `view`, or undefined when the chunk has none. */
export function viewSection(view: ChunkView, name: string): SectionSource | undefined {
  const length = view.sectionSize(name);
  return length === undefined ? undefined : { length, read: (offset, n) => view.readSection(name, offset, n) };
}

/** A SectionSource over bytes in memory (tests, and sections built in this process). */
export function bytesSection(bytes: Uint8Array): SectionSource {
  return {
    length: bytes.length,
    read(offset, n) {
      checkSectionRange("(in memory)", "(built)", bytes.length, offset, n);
      return bytes.subarray(offset, offset + n);
    },
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
export function readCounted(ctx: SectionContext, offset: number, length: number): MaybePromise<Uint8Array> {
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
