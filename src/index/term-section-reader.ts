/**
 * Reads a term-index section lazily: opening parses only the header (cheap, validates it);
 * the first lookup in any of its indexes decompresses the body once, and each index builds
 * its offset tables on its own first lookup. Caches live in the reader objects. A body that
 * fails to decode makes that lookup throw LogError("corrupt") (the segment CRC makes this a
 * bug, not disk damage); it never answers "absent" for a term it could not check.
 */

import { LogError } from "../core/errors.ts";
import { decodePostings } from "./postings.ts";
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

  /** The decompressed body (decoded once, then cached). */
  decodedBody(): Uint8Array {
    this.body ??= decompressTermBody(this.bytes, this.header);
    return this.body;
  }
}

class SectionTermIndex implements TermIndex {
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

  get(term: string): Uint32Array | undefined {
    if (this.termCount === 0) return undefined;
    const body = this.section.decodedBody();
    this.region ??= decodeRegion(body, this.entry);
    const { termStarts, postingStarts } = this.region;
    const q = encoder.encode(term);
    let lo = 0;
    let hi = this.termCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(body, termStarts[mid]!, termStarts[mid + 1]!, q);
      if (c === 0) return this.postings(body, postingStarts[mid]!, postingStarts[mid + 1]!);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  private postings(body: Uint8Array, start: number, end: number): Uint32Array {
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
