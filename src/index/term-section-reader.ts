/**
 * Reads a term-index section lazily: opening parses only the header (cheap, validates it);
 * the first lookup in any of its indexes decompresses the body once, and each index builds
 * its offset tables on its own first lookup. Caches live in the reader objects. A body that
 * fails to decode makes that lookup throw LogError("corrupt") (the segment CRC makes this a
 * bug, not disk damage); it never answers "absent" for a term it could not check.
 */

import { LogError } from "../core/errors.ts";
import { decodePostings, postingsCount } from "./postings.ts";
import {
  decodeRegion,
  decodeTermSectionHeader,
  decompressTermBody,
  type DecodedRegion,
  type TermIndexEntry,
  type TermSectionHeader,
} from "./term-section-format.ts";
import type { TermIndex } from "./types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sequential access to one index's terms and their list sizes, for statistics and listings.
 * Terms are in ascending byte order; `positions(i)` reads only a list's header.
 */
export interface TermListing {
  readonly termCount: number;
  /** Term i (0 <= i < termCount) as text. */
  term(i: number): string;
  /** How many positions term i's list holds, without decoding the list. */
  positions(i: number): number;
  /** Term i's positions, decoded. */
  postings(i: number): Uint32Array;
}

/** An opened section: its header and its named indexes. */
export class TermSection {
  readonly header: TermSectionHeader;
  private body: Uint8Array | undefined;

  /** Validates the header of `bytes`; throws LogError("corrupt") when it is malformed. */
  constructor(private readonly bytes: Uint8Array) {
    this.header = decodeTermSectionHeader(bytes);
  }

  /** The index called `name`, or undefined when the section has none of that name. */
  index(name: string): TermIndex | undefined {
    const e = this.header.indexes.find((x) => x.name === name);
    if (e === undefined) return undefined;
    const share = this.header.bodyLength === 0 ? 1 / this.header.indexes.length : e.regionLength / this.header.bodyLength;
    return new SectionTermIndex(this, e, Math.round(this.bytes.length * share));
  }

  /** Term-by-term access to index `name` (decompresses the body), or undefined when absent. */
  listing(name: string): TermListing | undefined {
    const e = this.header.indexes.find((x) => x.name === name);
    return e === undefined ? undefined : new SectionTermIndex(this, e, 0);
  }

  /** The decompressed body (decoded once, then cached). */
  decodedBody(): Uint8Array {
    this.body ??= decompressTermBody(this.bytes, this.header);
    return this.body;
  }
}

class SectionTermIndex implements TermIndex, TermListing {
  private region: DecodedRegion | undefined;
  readonly termCount: number;

  constructor(
    private readonly section: TermSection,
    private readonly entry: TermIndexEntry,
    /** This index's share of the section's bytes, by uncompressed region size. */
    readonly bytes: number,
  ) {
    this.termCount = entry.termCount;
  }

  private decoded(): DecodedRegion {
    this.region ??= decodeRegion(this.section.decodedBody(), this.entry);
    return this.region;
  }

  term(i: number): string {
    const { termStarts } = this.decoded();
    return decoder.decode(this.section.decodedBody().subarray(termStarts[i]!, termStarts[i + 1]!));
  }

  positions(i: number): number {
    const { postingStarts } = this.decoded();
    return postingsCount(this.section.decodedBody(), postingStarts[i]!, postingStarts[i + 1]!);
  }

  postings(i: number): Uint32Array {
    const { postingStarts } = this.decoded();
    return this.decodeList(this.section.decodedBody(), postingStarts[i]!, postingStarts[i + 1]!);
  }

  get(term: string): Uint32Array | undefined {
    if (this.termCount === 0) return undefined;
    const body = this.section.decodedBody();
    const { termStarts, postingStarts } = this.decoded();
    const q = encoder.encode(term);
    let lo = 0;
    let hi = this.termCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(body, termStarts[mid]!, termStarts[mid + 1]!, q);
      if (c === 0) return this.decodeList(body, postingStarts[mid]!, postingStarts[mid + 1]!);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  private decodeList(body: Uint8Array, start: number, end: number): Uint32Array {
    const cur = { pos: start };
    const p = decodePostings(body, cur, end);
    if (cur.pos !== end) throw new LogError("corrupt", `term index "${this.entry.name}": posting list ends at ${cur.pos}, slot ends at ${end}`);
    return p;
  }
}

/** Unsigned bytewise comparison of body[start, end) with q. */
function compare(body: Uint8Array, start: number, end: number, q: Uint8Array): number {
  const n = Math.min(end - start, q.length);
  for (let i = 0; i < n; i++) {
    const d = body[start + i]! - q[i]!;
    if (d !== 0) return d;
  }
  return end - start - q.length;
}
